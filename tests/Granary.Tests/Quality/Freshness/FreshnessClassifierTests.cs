using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Core.Model;
using Granary.Quality.Freshness;

namespace Granary.Tests.Quality.Freshness;

/// <summary>The classes of freshness: the seed's thresholds, durations, and the boundaries, against a naive reference.</summary>
public sealed class FreshnessClassifierTests
{
    // The ad-tech seed's table, in hours: fresh up to the first, stale up to the second.
    [Theory]
    [InlineData("real_time", 1, 6)]
    [InlineData("hourly", 2, 12)]
    [InlineData("daily", 25, 72)]
    [InlineData("weekly", 168, 336)]
    public void A_class_is_fresh_up_to_its_first_threshold_and_stale_up_to_its_second(string name, int freshHours, int staleHours)
    {
        Assert.True(FreshnessExpectation.TryParse(name, out var expectation));
        var at = (double hours) => FreshnessClassifier.Classify(TimeSpan.FromHours(hours), expectation);

        Assert.Equal(FreshnessStatus.Fresh, at(0));
        Assert.Equal(FreshnessStatus.Fresh, at(freshHours));
        Assert.Equal(FreshnessStatus.Stale, at(freshHours + (1 / 3600.0)));
        Assert.Equal(FreshnessStatus.Stale, at(staleHours));
        Assert.Equal(FreshnessStatus.VeryStale, at(staleHours + (1 / 3600.0)));
    }

    [Fact]
    public void A_view_never_written_is_very_stale_and_an_undeclared_one_is_judged_daily()
    {
        Assert.Equal(FreshnessStatus.VeryStale, FreshnessClassifier.Classify(null, FreshnessExpectation.Default));
        Assert.Equal("daily", FreshnessExpectation.Default.Expected);
    }

    [Theory]
    [InlineData("90m", "1h30m", 90)]
    [InlineData("2d", "2d", 2 * 24 * 60)]
    [InlineData("45s", "45s", 0.75)]
    public void A_duration_is_fresh_up_to_itself_and_stale_up_to_six_times_it(string text, string expected, double minutes)
    {
        Assert.True(FreshnessExpectation.TryParse(text, out var expectation));
        Assert.Equal(expected, expectation.Expected);
        Assert.Equal(TimeSpan.FromMinutes(minutes), expectation.Fresh);
        Assert.Equal(TimeSpan.FromMinutes(minutes * 6), expectation.Stale);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("hurly")]
    [InlineData("-1h")]
    [InlineData("")]
    public void Anything_else_is_not_a_freshness(string text) => Assert.False(FreshnessExpectation.TryParse(text, out _));

    [Property(MaxTest = 300)]
    public Property Classification_agrees_with_a_naive_comparison_of_seconds() =>
        Prop.ForAll(Gen.Choose(1, 100_000).ToArbitrary(), Gen.Choose(0, 500_000).ToArbitrary(), Gen.Choose(0, 600_000).ToArbitrary(), (int fresh, int extra, int age) =>
        {
            var expectation = new FreshnessExpectation("custom", TimeSpan.FromSeconds(fresh), TimeSpan.FromSeconds(fresh + extra));
            var naive = age <= fresh ? "fresh" : age <= fresh + extra ? "stale" : "very_stale";
            return FreshnessClassifier.Classify(TimeSpan.FromSeconds(age), expectation).Key() == naive;
        });
}
