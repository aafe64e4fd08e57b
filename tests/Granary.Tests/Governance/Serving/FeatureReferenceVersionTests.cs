using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Core.Model;

namespace Granary.Tests.Governance.Serving;

/// <summary>Feast's version-qualified references (<c>view@v2:feature</c>) and Granary's exact ones (<c>view@1.2.0:feature</c>).</summary>
public sealed class FeatureReferenceVersionTests
{
    [Theory]
    [InlineData("driver_stats@v2:trips", "driver_stats", 2, false, "driver_stats@v2")]
    [InlineData("driver_stats@V3:trips", "driver_stats", 3, false, "driver_stats@v3")]
    [InlineData("driver_stats@1.2.0:trips", "driver_stats", 1, true, "driver_stats@1.2.0")]
    [InlineData("driver_stats@v1.2.0:trips", "driver_stats", 1, true, "driver_stats@1.2.0")]
    public void A_version_qualified_reference_keeps_its_view_feature_and_selector(string text, string view, int major, bool exact, string qualified)
    {
        var reference = FeatureReference.Parse(text);

        Assert.Equal((view, "trips"), (reference.View, reference.Feature));
        Assert.Equal(major, reference.Version!.Value.Major);
        Assert.Equal(exact, reference.Version!.Value.IsExact);
        Assert.Equal(qualified, reference.QualifiedView);
    }

    [Fact]
    public void Latest_and_no_version_both_mean_the_current_version()
    {
        var latest = FeatureReference.Parse("driver_stats@latest:trips");
        var plain = FeatureReference.Parse("driver_stats:trips");

        Assert.Null(latest.Version);
        Assert.Equal(plain, latest);
        Assert.Equal("driver_stats:trips", latest.ToString());
        Assert.Equal("driver_stats", plain.QualifiedView);
    }

    [Theory]
    [InlineData("driver_stats@:trips")]
    [InlineData("driver_stats@v:trips")]
    [InlineData("driver_stats@2:trips")]
    [InlineData("driver_stats@1.2:trips")]
    [InlineData("driver_stats@1.2.3.4:trips")]
    [InlineData("driver_stats@v-1:trips")]
    [InlineData("driver_stats@beta:trips")]
    [InlineData("@v2:trips")]
    [InlineData("driver_stats@v2@v3:trips")]
    public void A_malformed_version_is_not_a_reference(string text) =>
        Assert.False(FeatureReference.TryParse(text, out _));

    [Fact]
    public void References_of_different_versions_are_different_references()
    {
        var v1 = FeatureReference.Parse("s@v1:f");
        var v2 = FeatureReference.Parse("s@v2:f");
        var exact = FeatureReference.Parse("s@2.0.0:f");

        Assert.NotEqual(v1, v2);
        Assert.NotEqual(v2, exact);
        Assert.NotEqual(FeatureReference.Parse("s:f"), v1);
    }

    // A naive reference: split the text by hand and compare with what the parser says.
    [Property(MaxTest = 300)]
    public Property Parse_agrees_with_a_naive_split_and_round_trips_through_its_text()
    {
        var names = Gen.Elements("a", "view_1", "_x", "Stats");
        var versions = Gen.OneOf(
            Gen.Constant(""),
            Gen.Choose(0, 30).Select(m => $"@v{m}"),
            Gen.Choose(0, 9).SelectMany(a => Gen.Choose(0, 9).SelectMany(b => Gen.Choose(0, 9).Select(c => $"@{a}.{b}.{c}"))),
            Gen.Elements("@latest", "@", "@v", "@1.2", "@x1"));
        var texts = names.SelectMany(v => versions.SelectMany(s => names.Select(f => (View: v, Suffix: s, Feature: f))));
        return Prop.ForAll(texts.ToArbitrary(), t =>
        {
            var text = $"{t.View}{t.Suffix}:{t.Feature}";
            var parsed = FeatureReference.TryParse(text, out var reference);
            var expectValid = t.Suffix is "" or "@latest"
                || (t.Suffix.StartsWith("@v", StringComparison.Ordinal) && t.Suffix.Length > 2 && t.Suffix[2..].All(char.IsAsciiDigit))
                || (t.Suffix.Length > 1 && t.Suffix[1..].Split('.') is { Length: 3 } parts && parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit)));
            if (!expectValid)
            {
                return !parsed;
            }

            var again = FeatureReference.Parse(reference.ToString());
            var expectedVersion = t.Suffix is "" or "@latest" ? null : t.Suffix[1..].TrimStart('v');
            return parsed && reference.View == t.View && reference.Feature == t.Feature && again == reference
                && (reference.Version?.ToString().TrimStart('v') ?? null) == expectedVersion;
        });
    }
}
