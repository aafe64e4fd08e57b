using System.Text.Json;
using Granary.Core.Model;
using Granary.Quality.Profiles;

namespace Granary.Tests.Quality.Profiles;

public sealed class ProfileJsonTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_report_has_the_contract_fields_in_snake_case_and_no_baseline()
    {
        using var json = JsonDocument.Parse(ProfileJson.Serialize(Profile().WithoutBaselines()));
        var root = json.RootElement;

        Assert.Equal(["id", "view", "start", "end", "created_at", "engine", "rows", "features"], root.EnumerateObject().Select(p => p.Name));
        var numeric = root.GetProperty("features")[0];
        Assert.Equal(
            ["name", "type", "kind", "count", "null_count", "distinct", "distinct_approximate", "mean", "stddev", "min", "max", "quantiles", "histogram"],
            numeric.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["p1", "p5", "p25", "p50", "p75", "p95", "p99"], numeric.GetProperty("quantiles").EnumerateObject().Select(p => p.Name));
        Assert.Equal("numeric", numeric.GetProperty("kind").GetString());
        Assert.Equal(["lower", "upper", "count"], numeric.GetProperty("histogram")[0].EnumerateObject().Select(p => p.Name));

        var text = root.GetProperty("features")[1];
        Assert.Equal(JsonValueKind.Null, text.GetProperty("mean").ValueKind);
        Assert.Equal(JsonValueKind.Null, text.GetProperty("quantiles").ValueKind);
        Assert.False(text.TryGetProperty("histogram", out _));
        Assert.Equal(["value", "count"], text.GetProperty("top_k")[0].EnumerateObject().Select(p => p.Name));
        Assert.False(text.TryGetProperty("baseline", out _));
    }

    [Fact]
    public void A_stored_profile_reads_back_with_its_baselines()
    {
        var profile = Profile();

        var read = ProfileJson.Deserialize(ProfileJson.Serialize(profile));

        Assert.Equal(profile.Id, read.Id);
        Assert.Equal(profile.Start, read.Start);
        Assert.Equal(profile.Features[0].Baseline!.Sample, read.Features[0].Baseline!.Sample);
        Assert.Equal(profile.Features[0].Baseline!.Deciles, read.Features[0].Baseline!.Deciles);
        Assert.Equal(profile.Features[1].Baseline!.Categories, read.Features[1].Baseline!.Categories);
        Assert.Equal(profile.Features[0].Histogram, read.Features[0].Histogram);
        Assert.Equal(profile.Features[0].Quantiles, read.Features[0].Quantiles);
    }

    [Fact]
    public void Non_finite_statistics_of_float_data_survive_a_round_trip()
    {
        var profile = Profile() with { Features = [Profile().Features[0] with { Mean = double.NaN, Max = double.PositiveInfinity }] };

        var read = ProfileJson.Deserialize(ProfileJson.Serialize(profile));

        Assert.True(double.IsNaN(read.Features[0].Mean!.Value));
        Assert.Equal(double.PositiveInfinity, read.Features[0].Max);
    }

    private static ViewProfile Profile()
    {
        var numeric = new FeatureAggregates("ctr", FeatureType.Float64)
        {
            Count = 5, NonNull = 4, Distinct = 4, Mean = 2.5, StdDev = 1.29, Min = 1, Max = 4,
            Quantiles = ProfileLevels.Levels.Select(l => 1 + (3 * l)).ToArray(),
            BinCounts = Enumerable.Range(0, ProfileLimits.HistogramBins).Select(i => (long)i).ToArray(),
            Sample = [4, 1, 3, 2],
        };
        var text = new FeatureAggregates("country", FeatureType.String)
        {
            Count = 5, NonNull = 5, Distinct = 2, Categories = [new CategoryCount("fr", 2), new CategoryCount("de", 3)],
        };
        return new ViewProfile
        {
            Id = Guid.CreateVersion7(Start).ToString("N"),
            View = "user_activity",
            Start = Start,
            End = Start.AddDays(1),
            CreatedAt = Start.AddDays(2),
            Engine = "duckdb",
            Rows = 5,
            Features = [numeric.Assemble(), text.Assemble()],
        };
    }
}
