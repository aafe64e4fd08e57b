using System.Text.Json;
using Granary.Core.Model;
using Granary.Offline.DuckDb;
using Granary.Offline.Retrieval;
using Granary.Quality.Profiles;
using Granary.Registry.Storage;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Quality.Drift;

/// <summary>
/// <c>granary drift</c> end to end on DuckDB: a view whose <c>ctr</c> moves up in the second half of its data while
/// <c>clicks</c> and <c>country</c> keep their distribution, against each kind of baseline.
/// </summary>
public sealed class DriftCheckCliTests
{
    // 4,000 rows a minute apart from 2026-11-01; the first 2,000 are the baseline period, the rest the current one.
    internal const string BaselineStart = "2026-11-01T00:00:00Z";
    internal const string BaselineEnd = "2026-11-02T09:20:00Z";
    internal const string CurrentEnd = "2026-11-03T18:40:00Z";

    private const string Definitions = """
        entities:
          - name: ad
            join_keys: [ad_id]
            value_type: int64
        sources:
          - name: ad_source
            type: file
            path: data/ads.parquet
            timestamp_field: event_timestamp
        feature_views:
          - name: ad_stats
            entities: [ad]
            ttl: 0
            source: ad_source
            online: false
            schema:
              - {name: ctr, dtype: float64}
              - {name: clicks, dtype: int64}
              - {name: country, dtype: string}
              - {name: tags, dtype: list<string>}
        """;

    // Pseudo-random but fixed values from hash(): ctr uniform on [0.05, 0.07) and then on [0.09, 0.11); clicks and
    // country drawn alike throughout.
    private const string Rows = """
        SELECT CAST(i % 200 AS BIGINT) AS ad_id,
            TIMESTAMPTZ '2026-11-01 00:00:00+00' + to_minutes(CAST(i AS BIGINT)) AS event_timestamp,
            (CASE WHEN i < 2000 THEN 0.05 ELSE 0.09 END) + 0.02 * ((hash(i) % 1000003) / 1000003.0) AS ctr,
            CAST(hash(i * 7 + 1) % 50 AS BIGINT) AS clicks,
            ['US', 'FR', 'DE'][CAST(hash(i * 13 + 5) % 3 AS INTEGER) + 1] AS country,
            ['a'] AS tags
        FROM range(4000) AS t(i)
        """;

    internal static async Task<TempRepository> CreateRepositoryAsync()
    {
        var repo = new TempRepository()
            .Write("granary.yaml", "project: ads\nregistry: data/registry.db\n")
            .Write("features.yaml", Definitions);
        await ParquetFiles.WriteAsync(repo, "data/ads.parquet", Rows);
        var apply = await CliRunner.RunAsync("apply", "--repo", repo.Root);
        Assert.True(apply.Exit == 0, apply.Err);
        return repo;
    }

    private static Task<(int Exit, string Out, string Err)> DriftAsync(TempRepository repo, params string[] args) =>
        CliRunner.RunAsync(["drift", "ad_stats", "--repo", repo.Root, "--current-start", BaselineEnd, "--current-end", CurrentEnd, .. args]);

    private static Dictionary<string, JsonElement> Features(string json)
    {
        using var document = JsonDocument.Parse(json);
        Assert.Equal("ad_stats", document.RootElement.GetProperty("view").GetString());
        return document.RootElement.GetProperty("features").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.Clone());
    }

    private static double? Number(JsonElement feature, string name) =>
        feature.GetProperty(name).ValueKind == JsonValueKind.Null ? null : feature.GetProperty(name).GetDouble();

    [Fact]
    public async Task A_planted_shift_is_found_with_severity_high_and_unchanged_features_are_not()
    {
        using var repo = await CreateRepositoryAsync();

        var run = await DriftAsync(repo, "--baseline-start", BaselineStart, "--baseline-end", BaselineEnd, "--format", "json");

        Assert.True(run.Exit == 0, run.Err);
        var features = Features(run.Out);
        Assert.Equal(["ctr", "clicks", "country"], features.Keys);
        var ctr = features["ctr"];
        string[] fields = ["name", "ks_statistic", "ks_p_value", "psi", "js_distance", "chi2_statistic", "chi2_p_value", "mean_shift", "std_shift", "severity", "recommendations"];
        Assert.Equal(fields, ctr.EnumerateObject().Select(p => p.Name));
        Assert.Equal("high", ctr.GetProperty("severity").GetString());
        Assert.True(Number(ctr, "ks_p_value") < 0.001);
        Assert.Equal(1.0, Number(ctr, "ks_statistic")!.Value, 6);
        Assert.True(Number(ctr, "mean_shift") > 0.5);
        Assert.Null(Number(ctr, "chi2_p_value"));
        Assert.NotEmpty(ctr.GetProperty("recommendations").EnumerateArray());
        Assert.Contains(features["clicks"].GetProperty("severity").GetString(), (string[])["none", "low"]);
        var country = features["country"];
        Assert.Contains(country.GetProperty("severity").GetString(), (string[])["none", "low"]);
        Assert.Null(Number(country, "ks_statistic"));
        Assert.Null(Number(country, "mean_shift"));
        Assert.True(Number(country, "chi2_p_value") > 0.001);
    }

    [Fact]
    public async Task The_text_table_shows_each_feature_with_its_severity()
    {
        using var repo = await CreateRepositoryAsync();

        var run = await DriftAsync(repo, "--baseline-start", BaselineStart, "--baseline-end", BaselineEnd, "--features", "ctr");

        Assert.True(run.Exit == 0, run.Err);
        Assert.Contains("against 2026-11-01 00:00:00Z to 2026-11-02 09:20:00Z", run.Out, StringComparison.Ordinal);
        Assert.Matches(@"\nctr\s+high\s", run.Out);
        Assert.DoesNotContain("clicks", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stored_profile_is_a_baseline_that_agrees_with_its_period()
    {
        using var repo = await CreateRepositoryAsync();
        var id = await StoreProfileAsync(repo);

        var byProfile = await DriftAsync(repo, "--baseline-profile", id, "--format", "json");
        var byPeriod = await DriftAsync(repo, "--baseline-start", BaselineStart, "--baseline-end", BaselineEnd, "--format", "json");

        Assert.True(byProfile.Exit == 0, byProfile.Err);
        var profile = Features(byProfile.Out);
        var period = Features(byPeriod.Out);
        Assert.Equal("high", profile["ctr"].GetProperty("severity").GetString());
        // The profile's sample holds all 2,000 baseline values (fewer than 10,000) and all category counts: the same comparison.
        foreach (var name in new[] { "ctr", "clicks" })
        {
            Assert.Equal(Number(period[name], "ks_statistic"), Number(profile[name], "ks_statistic"));
            Assert.Equal(Number(period[name], "ks_p_value")!.Value, Number(profile[name], "ks_p_value")!.Value, 12);
        }

        Assert.Equal(Number(period["country"], "chi2_statistic")!.Value, Number(profile["country"], "chi2_statistic")!.Value, 9);
    }

    [Fact]
    public async Task A_saved_dataset_is_a_baseline_through_its_feature_columns()
    {
        using var repo = await CreateRepositoryAsync();
        // Each of the 200 ads at the end of the baseline period: its latest baseline values.
        repo.Write("entities.csv", "ad_id,event_timestamp\n" + string.Concat(Enumerable.Range(0, 200).Select(i => $"{i},2026-11-02T09:00:00Z\n")));
        foreach (var (name, full) in new[] { ("train", false), ("train_full", true) })
        {
            string[] args = ["get-historical", "--repo", repo.Root, "--entities", Path.Combine(repo.Root, "entities.csv"),
                "--features", "ad_stats:ctr,ad_stats:country", "--output", Path.Combine(repo.Root, name + ".parquet"), "--save-as", name];
            var saved = await CliRunner.RunAsync(full ? [.. args, "--full-feature-names"] : args);
            Assert.True(saved.Exit == 0, saved.Err);
        }

        foreach (var name in new[] { "train", "train_full" })
        {
            var run = await DriftAsync(repo, "--baseline-dataset", name, "--features", "ctr,country", "--format", "json");

            Assert.True(run.Exit == 0, run.Err);
            var features = Features(run.Out);
            Assert.Equal("high", features["ctr"].GetProperty("severity").GetString());
            Assert.Contains(features["country"].GetProperty("severity").GetString(), (string[])["none", "low"]);
        }

        var missing = await DriftAsync(repo, "--baseline-dataset", "train", "--features", "clicks");
        Assert.Equal(1, missing.Exit);
        Assert.Contains("Saved dataset 'train' holds no feature 'ad_stats:clicks'", missing.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("needs a baseline")]
    [InlineData("with one baseline", "--baseline-start", BaselineStart, "--baseline-end", BaselineEnd, "--baseline-dataset", "train")]
    [InlineData("needs both its start and its end", "--baseline-start", BaselineStart)]
    [InlineData("has no feature 'nope'", "--baseline-start", BaselineStart, "--baseline-end", BaselineEnd, "--features", "ctr,nope")]
    [InlineData("drift compares numbers, strings and booleans only", "--baseline-start", BaselineStart, "--baseline-end", BaselineEnd, "--features", "tags")]
    [InlineData("No stored profile 'f00d'", "--baseline-profile", "f00d")]
    [InlineData("No saved dataset named 'nothing'", "--baseline-dataset", "nothing")]
    [InlineData("--baseline-end: 'soon' is not a time", "--baseline-start", BaselineStart, "--baseline-end", "soon")]
    [InlineData("The baseline period must end after it starts", "--baseline-start", BaselineEnd, "--baseline-end", BaselineStart)]
    public async Task A_wrong_request_is_refused_with_a_message_and_no_stack_trace(string message, params string[] args)
    {
        using var repo = await CreateRepositoryAsync();

        var run = await DriftAsync(repo, args);

        Assert.Equal(1, run.Exit);
        Assert.Contains(message, run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Err, StringComparison.Ordinal);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task An_unknown_view_is_refused_with_the_closest_name()
    {
        using var repo = await CreateRepositoryAsync();

        var run = await CliRunner.RunAsync("drift", "ad_stat", "--repo", repo.Root, "--current-start", BaselineEnd, "--current-end", CurrentEnd, "--baseline-profile", "x");

        Assert.Equal(1, run.Exit);
        Assert.Contains("No feature view 'ad_stat'", run.Err, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'ad_stats'?", run.Err, StringComparison.Ordinal);
    }

    // Profiles the baseline period with the engine and stores it in the repository's registry; returns its id.
    private static async Task<string> StoreProfileAsync(TempRepository repo)
    {
        FeatureView view;
        await using (var store = FeatureStore.Open(repo.Root))
        {
            view = (await store.GetRegistryAsync()).Definitions.FindFeatureView("ad_stats")!;
        }

        var source = new FileSource { Name = "ad_source", Path = "data/ads.parquet", Format = FileFormat.Parquet, TimestampField = "event_timestamp" };
        var start = DateTimeOffset.Parse(BaselineStart, System.Globalization.CultureInfo.InvariantCulture);
        var end = DateTimeOffset.Parse(BaselineEnd, System.Globalization.CultureInfo.InvariantCulture);
        await using var engine = new DuckDbOfflineEngine();
        var features = await engine.ProfileAsync(new ProfileRequest(new PointInTimeView(view, source, ["ad_id"], ["ctr", "clicks", "country"]), start, end, repo.Root));
        var profile = new ViewProfile
        {
            Id = "01937a5e00007000800000000000d71f",
            View = "ad_stats",
            Start = start,
            End = end,
            CreatedAt = end,
            Engine = "duckdb",
            Rows = features[0].Count,
            Features = features,
        };
        await using var registry = new SqliteRegistryStore(Path.Combine(repo.Root, "data", "registry.db"));
        await registry.InitializeAsync();
        await registry.SaveProfileAsync("ads", profile);
        return profile.Id;
    }
}
