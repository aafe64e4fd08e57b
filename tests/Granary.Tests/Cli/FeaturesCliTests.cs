using System.Text.Json;
using Granary.Governance;
using Granary.Registry.Catalog;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Cli;

/// <summary>
/// <c>granary features ...</c> on the sample repository, over features registered through the C# API: each command's
/// text and <c>--format json</c> (the REST API's JSON), and refusals as a message and a non-zero exit.
/// </summary>
public sealed class FeaturesCliTests : IAsyncLifetime
{
    private readonly TempRepository _repo = SampleRepository.Create();

    public async Task InitializeAsync()
    {
        await using var store = FeatureStore.Open(_repo.Root);
        await store.ApplyAsync();
        await store.Catalog.CreateAsync(new CatalogEntryCreate("cli_base")
        {
            Owner = "growth",
            Description = "Base signal",
            Tags = ["team=growth"],
            FeatureType = "raw",
            DataType = "integer",
            Transformation = new FeatureTransformation("sql", "SELECT v1"),
        });
        await store.Catalog.CreateAsync(new CatalogEntryCreate("cli_derived") { Owner = "ads", FeatureType = "derived", DataType = "float", UpstreamFeatures = ["cli_base"] });
        await store.Catalog.CreateVersionAsync("cli_base", new CatalogVersionCreate(new SemanticVersion(1, 1, 0))
        {
            Changelog = "second query",
            TransformationSnapshot = new FeatureTransformation("sql", "SELECT v2"),
        });
    }

    public Task DisposeAsync()
    {
        _repo.Dispose();
        return Task.CompletedTask;
    }

    private Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => CliRunner.RunAsync([.. args, "--repo", _repo.Root]);

    private async Task<JsonElement> JsonAsync(params string[] args)
    {
        var (exit, output, error) = await RunAsync([.. args, "--format", "json"]);
        Assert.True(exit == 0, error);
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    [Fact]
    public async Task List_shows_a_table_and_filters_by_type_owner_status_and_tag()
    {
        var (exit, output, _) = await RunAsync("features", "list");
        var byType = await JsonAsync("features", "list", "--type", "derived");
        var byTag = await JsonAsync("features", "list", "--tag", "team=growth", "--owner", "growth", "--status", "draft");

        Assert.Equal(0, exit);
        Assert.Matches(@"cli_base\s+feature\s+draft\s+1\.1\.0\s+raw\s+int64\s+growth\s+team=growth\s+0", output);
        Assert.Matches(@"cli_derived\s+feature\s+draft\s+1\.0\.0\s+derived\s+float64\s+ads", output);
        Assert.Equal(["cli_derived"], byType.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("feature_name").GetString()).ToList());
        Assert.Equal(1, byType.GetProperty("total").GetInt32());
        Assert.Equal(["cli_base"], byTag.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("feature_name").GetString()).ToList());
    }

    [Fact]
    public async Task Describe_in_json_answers_the_rest_apis_fields_with_the_downstream_features()
    {
        var feature = await JsonAsync("features", "describe", "cli_base");
        var (exit, text, _) = await RunAsync("features", "describe", "cli_base");

        Assert.Equal("cli_base", feature.GetProperty("feature_name").GetString());
        Assert.Equal(("raw", "int64", "draft", "1.1.0"), (feature.GetProperty("feature_type").GetString(), feature.GetProperty("data_type").GetString(),
            feature.GetProperty("status").GetString(), feature.GetProperty("current_version").GetString()));
        Assert.Equal(["cli_derived"], feature.GetProperty("downstream_features").EnumerateArray().Select(f => f.GetString()).ToList());
        Assert.Equal("SELECT v2", feature.GetProperty("transformation").GetProperty("code").GetString());
        Assert.Equal(0, exit);
        Assert.Contains("cli_base (feature, draft, version 1.1.0)", text, StringComparison.Ordinal);
        Assert.Contains("downstream:   cli_derived", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rollback_restores_an_earlier_version_and_versions_show_the_rolled_back_one()
    {
        var (exit, output, error) = await RunAsync("features", "rollback", "cli_base", "--to", "1.0.0");
        var versions = await JsonAsync("features", "versions", "cli_base");
        var (_, table, _) = await RunAsync("features", "versions", "cli_base");
        var feature = await JsonAsync("features", "describe", "cli_base");

        Assert.True(exit == 0, error);
        Assert.Contains("cli_base is now at 1.1.1, restoring 1.0.0", output, StringComparison.Ordinal);
        var list = versions.GetProperty("versions").EnumerateArray().ToList();
        Assert.Equal(["1.1.1", "1.1.0", "1.0.0"], list.Select(v => v.GetProperty("version").GetString()).ToList());
        Assert.Equal(3, versions.GetProperty("total").GetInt32());
        Assert.True(list[1].GetProperty("is_rolled_back").GetBoolean());
        Assert.Equal("1.0.0", list[0].GetProperty("restored_from").GetString());
        Assert.Matches(@"1\.1\.1\s+\S+ \S+\s+\S+\s+.*restores 1\.0\.0", table);
        Assert.Equal("SELECT v1", feature.GetProperty("transformation").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Lifecycle_commands_move_the_status_and_a_refused_move_exits_1_with_the_reason()
    {
        var (archiveExit, _, archiveError) = await RunAsync("features", "archive", "cli_derived");
        var (activateExit, activated, _) = await RunAsync("features", "activate", "cli_derived");
        var deprecated = await JsonAsync("features", "deprecate", "cli_derived");
        var archived = await JsonAsync("features", "archive", "cli_derived");

        Assert.Equal(1, archiveExit);
        Assert.Contains("[conflict]", archiveError, StringComparison.Ordinal);
        Assert.Contains("draft", archiveError, StringComparison.Ordinal);
        Assert.Equal(0, activateExit);
        Assert.Contains("cli_derived is active (version 1.0.0).", activated, StringComparison.Ordinal);
        Assert.Equal("deprecated", deprecated.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, deprecated.GetProperty("deprecated_at").ValueKind);
        Assert.Equal("archived", archived.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Lineage_and_impact_follow_the_definitions_and_the_catalogs_upstream_features()
    {
        var lineage = await JsonAsync("features", "lineage", "cli_base", "--recursive");
        var (exit, text, _) = await RunAsync("features", "lineage", "user_stats:orders_7d");
        var impact = await JsonAsync("features", "impact", "user_stats:orders_7d");

        Assert.Equal(["cli_derived"], lineage.GetProperty("all_downstream").EnumerateArray().Select(f => f.GetString()).ToList());
        Assert.Equal(1, lineage.GetProperty("total_dependents_count").GetInt32());
        Assert.Equal(0, exit);
        Assert.Contains("upstream:   feature_view user_stats", text, StringComparison.Ordinal);
        Assert.Contains("feature_service recommender", text, StringComparison.Ordinal);
        Assert.Equal(["recommender"], impact.GetProperty("feature_services").EnumerateArray().Select(f => f.GetString()).ToList());
    }

    [Fact]
    public async Task Usage_record_then_stats_adds_up_what_was_recorded()
    {
        var recorded = await JsonAsync("features", "usage", "record", "--feature", "cli_derived", "--model", "churn", "--model-version", "7",
            "--environment", "staging", "--importance", "0.5", "--correlation", "-0.25", "--version", "1.0.0");
        var (exit, output, error) = await RunAsync("features", "usage", "record", "--feature", "cli_derived", "--model", "ltv", "--importance", "1");
        var stats = await JsonAsync("features", "stats", "cli_derived");
        var (_, text, _) = await RunAsync("features", "stats", "cli_derived");

        Assert.Equal(("cli_derived", "1.0.0", "churn", "7", "staging"), (recorded.GetProperty("feature_name").GetString(), recorded.GetProperty("feature_version").GetString(),
            recorded.GetProperty("used_by_model").GetString(), recorded.GetProperty("model_version").GetString(), recorded.GetProperty("environment").GetString()));
        Assert.True(exit == 0, error);
        Assert.Contains("Recorded: ltv used cli_derived 1.0.0 in production.", output, StringComparison.Ordinal);
        Assert.Equal((2L, 2), (stats.GetProperty("total_usage").GetInt64(), stats.GetProperty("unique_models").GetInt32()));
        Assert.Equal(0.75, stats.GetProperty("avg_importance").GetDouble(), 9);
        Assert.Equal(["production", "staging"], stats.GetProperty("environments").EnumerateArray().Select(e => e.GetString()).ToList());
        Assert.Contains("total usage:     2", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("features", "describe", "nowhere")]
    [InlineData("features", "versions", "nowhere")]
    [InlineData("features", "stats", "nowhere")]
    [InlineData("features", "usage", "record", "--feature", "nowhere", "--model", "m")]
    public async Task An_unknown_feature_exits_1_with_not_found(params string[] args)
    {
        var (exit, _, error) = await RunAsync(args);

        Assert.Equal(1, exit);
        Assert.Contains("nowhere", error, StringComparison.Ordinal);
        Assert.Contains("[not_found]", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("features", "rollback", "cli_base", "--to", "first")]
    [InlineData("features", "list", "--status", "retired")]
    [InlineData("features", "list", "--type", "vibes")]
    public async Task An_argument_that_does_not_read_exits_1_with_invalid_argument(params string[] args)
    {
        var (exit, _, error) = await RunAsync(args);

        Assert.Equal(1, exit);
        Assert.Contains("[invalid_argument]", error, StringComparison.Ordinal);
    }
}
