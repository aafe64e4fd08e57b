using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Core.Model;
using Granary.Offline;
using Granary.Quality.Profiles;
using Granary.Tests.Quality.Profiles;

namespace Granary.Tests.Offline.Contracts;

/// <summary>
/// <see cref="IProfiler"/>: over the rows with event time in [start, end), every statistic agrees with
/// <see cref="NaiveProfile"/>; counts include nulls, numeric features have moments, quantiles and bins, categorical ones
/// their value counts. Distinct counts are exact, or within the stated error when the engine says they are estimates.
/// </summary>
public abstract class ProfilerContract : OfflineCapabilityContract<IProfiler>
{
    /// <summary>A source of this engine's kind holding <paramref name="rows"/> (columns ts, ctr, clicks, country, active).</summary>
    protected abstract Task<BatchSource> CreateSourceAsync(IReadOnlyList<ProfileRow> rows);

    [Property(MaxTest = 25)]
    public Property Every_statistic_agrees_with_the_naive_reference(int seed) =>
        Prop.ToProperty(AgreesAsync(ProfileRow.Generate(seed)).GetAwaiter().GetResult());

    [Fact]
    public async Task A_period_without_rows_profiles_zero_counts_and_no_statistics()
    {
        var rows = ProfileRow.Generate(7).Select(r => r with { At = ProfileRow.End.AddHours(1) }).ToList();

        var profiles = await Capability.ProfileAsync(ProfileRow.Request(await CreateSourceAsync(rows), Root));

        Assert.All(profiles, p => Assert.Equal(0, p.Count));
        Assert.Null(profiles[0].Mean);
        Assert.Null(profiles[0].Quantiles);
        Assert.Empty(profiles[0].Histogram!);
        Assert.Empty(profiles[2].TopK!);
    }

    [Fact]
    public async Task A_sample_keeps_ten_thousand_of_many_values_and_bins_count_them_all()
    {
        var rows = Enumerable.Range(0, 15_000)
            .Select(i => new ProfileRow(ProfileRow.Start.AddSeconds(i), i % 10 == 0 ? null : i, i, "c" + (i % 1200), i % 2 == 0))
            .ToList();

        var profiles = await Capability.ProfileAsync(ProfileRow.Request(await CreateSourceAsync(rows), Root));

        var ctr = profiles[0];
        Assert.Equal(ProfileLimits.SampleSize, ctr.Baseline!.Sample.Count);
        Assert.Equal(ProfileLimits.SampleSize, ctr.Baseline.Sample.Distinct().Count());
        Assert.All(ctr.Baseline.Sample, v => Assert.True(v % 10 != 0 && v is >= 0 and < 15_000));
        Assert.Equal(13_500, ctr.Histogram!.Sum(b => b.Count));
        Assert.Equal(ProfileLimits.BaselineCategories, profiles[2].Baseline!.Categories.Count);
        Assert.Equal(13, profiles[2].TopK![0].Count);
        Assert.Equal("c0", profiles[2].TopK![0].Value);
    }

    private async Task<bool> AgreesAsync(List<ProfileRow> rows)
    {
        var source = await CreateSourceAsync(rows);
        var profiles = await Capability.ProfileAsync(ProfileRow.Request(source, Root));
        var inRange = rows.Where(r => r.At >= ProfileRow.Start && r.At < ProfileRow.End).ToList();

        Assert.Equal(["ctr", "clicks", "country", "active"], profiles.Select(p => p.Name));
        CheckNumeric(profiles[0], inRange.Count, [.. inRange.Where(r => r.Ctr is not null).Select(r => r.Ctr!.Value)]);
        CheckNumeric(profiles[1], inRange.Count, [.. inRange.Where(r => r.Clicks is not null).Select(r => (double)r.Clicks!.Value)]);
        CheckCategorical(profiles[2], inRange.Count, [.. inRange.Where(r => r.Country is not null).Select(r => r.Country!)]);
        CheckCategorical(profiles[3], inRange.Count, [.. inRange.Where(r => r.Active is not null).Select(r => r.Active!.Value ? "true" : "false")]);
        return true;
    }

    private static void CheckNumeric(FeatureProfile profile, int count, List<double> values)
    {
        Assert.Equal(ProfileKind.Numeric, profile.Kind);
        Assert.Equal(count, profile.Count);
        Assert.Equal(count - values.Count, profile.NullCount);
        CheckDistinct(profile, values.Distinct().Count());
        Assert.Null(profile.TopK);
        if (values.Count == 0)
        {
            Assert.Null(profile.Mean);
            Assert.Null(profile.Quantiles);
            Assert.Empty(profile.Histogram!);
            return;
        }

        Close(NaiveProfile.Mean(values), profile.Mean);
        if (values.Count > 1)
        {
            Close(NaiveProfile.SampleStdDev(values), profile.StdDev);
        }
        else
        {
            Assert.Null(profile.StdDev);
        }

        Assert.Equal(values.Min(), profile.Min);
        Assert.Equal(values.Max(), profile.Max);
        var q = profile.Quantiles!;
        double[] levels = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];
        double[] reported = [q.P1, q.P5, q.P25, q.P50, q.P75, q.P95, q.P99];
        for (var i = 0; i < levels.Length; i++)
        {
            Close(NaiveProfile.Quantile(values, levels[i]), reported[i]);
        }

        double[] deciles = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
        Assert.Equal(deciles.Length, profile.Baseline!.Deciles.Count);
        for (var i = 0; i < deciles.Length; i++)
        {
            Close(NaiveProfile.Quantile(values, deciles[i]), profile.Baseline.Deciles[i]);
        }

        Assert.Equal(NaiveProfile.Bins(values), profile.Histogram!.Select(b => b.Count));
        Assert.Equal(values.Min(), profile.Histogram![0].Lower);
        Assert.Equal(values.Max(), profile.Histogram![^1].Upper);

        // Fewer values than the sample size: the sample is all of them, in some order.
        Assert.Equal(values.Order(), profile.Baseline.Sample.Order());
    }

    private static void CheckCategorical(FeatureProfile profile, int count, List<string> values)
    {
        Assert.Equal(ProfileKind.Categorical, profile.Kind);
        Assert.Equal(count, profile.Count);
        Assert.Equal(count - values.Count, profile.NullCount);
        CheckDistinct(profile, values.Distinct(StringComparer.Ordinal).Count());
        Assert.Null(profile.Mean);
        Assert.Null(profile.Quantiles);
        Assert.Null(profile.Histogram);
        var expected = NaiveProfile.Categories(values);
        Assert.Equal(expected, profile.Baseline!.Categories);
        Assert.Equal(expected.Take(ProfileLimits.TopK), profile.TopK);
    }

    // An estimate (HyperLogLog) is held to a loose bound here: the data has few distinct values.
    private static void CheckDistinct(FeatureProfile profile, int distinct)
    {
        if (profile.DistinctApproximate)
        {
            Assert.InRange(profile.Distinct, distinct - Math.Max(2, distinct / 10), distinct + Math.Max(2, distinct / 10));
        }
        else
        {
            Assert.Equal(distinct, profile.Distinct);
        }
    }

    private static void Close(double expected, double? actual) =>
        Assert.True(actual is { } a && Math.Abs(a - expected) <= 1e-9 * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual}");
}
