using System.Text.Json;
using System.Text.Json.Nodes;
using Granary.Cli;
using Granary.Cli.Commands;
using Granary.Server;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Granary.Tests.Cli;

/// <summary>teardown, registry-dump, projects list, --tag on list commands and get-online --address.</summary>
public sealed class FeastCommandsCliTests
{
    private static Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => CliRunner.RunAsync(args);

    /// <summary>The sample with user_stats kept for ever (ttl 0), so that its November values are served as PRESENT today.</summary>
    private static TempRepository Materialized()
    {
        var repo = SampleRepository.Create().Write("features/shop.yaml", SampleRepository.Features.Replace("ttl: 2d", "ttl: 0", StringComparison.Ordinal));
        Assert.Equal(0, RunAsync("apply", "--repo", repo.Root).GetAwaiter().GetResult().Exit);
        var materialize = RunAsync("materialize", "2026-01-01", "2026-12-01", "--repo", repo.Root).GetAwaiter().GetResult();
        Assert.True(materialize.Exit == 0, materialize.Err);
        return repo;
    }

    [Fact]
    public async Task Get_online_by_address_prints_value_status_and_event_timestamp()
    {
        using var repo = Materialized();

        var present = await RunAsync("get-online", "--address", "user_stats:orders_7d:1", "--repo", repo.Root);
        var missing = await RunAsync("get-online", "--address", "user_stats:spend_7d:999", "--repo", repo.Root);

        Assert.True(present.Exit == 0, present.Err);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"value": 3, "status": "PRESENT", "event_timestamp": "2026-11-01T00:00:00Z"}"""), JsonNode.Parse(present.Out)), present.Out);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"value": null, "status": "NOT_FOUND", "event_timestamp": null}"""), JsonNode.Parse(missing.Out)), missing.Out);
    }

    [Theory]
    [InlineData("user_stats:orders_7d")]
    [InlineData("user_stats:nope:1")]
    [InlineData("ghost:orders_7d:1")]
    public async Task Get_online_by_a_bad_address_fails_with_a_message(string address)
    {
        using var repo = Materialized();

        var (exit, output, err) = await RunAsync("get-online", "--address", address, "--repo", repo.Root);

        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Contains($"'{address}'", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Teardown_with_yes_removes_the_online_values_and_watermarks_and_materialize_brings_them_back()
    {
        using var repo = Materialized();

        var teardown = await RunAsync("teardown", "--yes", "--repo", repo.Root);

        Assert.True(teardown.Exit == 0, teardown.Err);
        Assert.Contains("NOT_FOUND", (await RunAsync("get-online", "--address", "user_stats:orders_7d:1", "--repo", repo.Root)).Out, StringComparison.Ordinal);
        Assert.Null(await WatermarkAsync(repo, "user_stats"));
        Assert.Contains("feature_views", (await RunAsync("registry-dump", "--repo", repo.Root)).Out, StringComparison.Ordinal);

        Assert.Equal(0, (await RunAsync("materialize", "2026-01-01", "2026-12-01", "--repo", repo.Root)).Exit);
        Assert.Contains("PRESENT", (await RunAsync("get-online", "--address", "user_stats:orders_7d:1", "--repo", repo.Root)).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Teardown_without_yes_and_without_a_terminal_refuses_and_removes_nothing()
    {
        using var repo = Materialized();

        var (exit, _, err) = await RunAsync("teardown", "--repo", repo.Root);

        Assert.Equal(1, exit);
        Assert.Contains("pass --yes", err, StringComparison.Ordinal);
        Assert.Contains("PRESENT", (await RunAsync("get-online", "--address", "user_stats:orders_7d:1", "--repo", repo.Root)).Out, StringComparison.Ordinal);
        Assert.NotNull(await WatermarkAsync(repo, "user_stats"));
    }

    [Theory]
    [InlineData("y\n", 0, "NOT_FOUND")]
    [InlineData("yes\n", 0, "NOT_FOUND")]
    [InlineData("n\n", 1, "PRESENT")]
    [InlineData("\n", 1, "PRESENT")]
    [InlineData("", 1, "PRESENT")]
    public async Task Teardown_on_a_terminal_asks_and_only_yes_removes(string answer, int expectedExit, string statusAfter)
    {
        using var repo = Materialized();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await GranaryCli.RunAsync(["teardown", "--repo", repo.Root], output, error, new CliTerminal(new StringReader(answer), IsInteractive: true));

        Assert.Equal(expectedExit, exit);
        Assert.Contains("Continue? [y/N]", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(statusAfter, (await RunAsync("get-online", "--address", "user_stats:orders_7d:1", "--repo", repo.Root)).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registry_dump_holds_every_object_exactly_as_the_server_describes_it_and_the_saved_datasets()
    {
        using var repo = SampleRepository.Create().Write("entities.csv", "user_id,event_timestamp\n1,2026-11-02T00:00:00Z\n2,2026-11-03T00:00:00Z\n");
        Assert.Equal(0, (await RunAsync("apply", "--repo", repo.Root)).Exit);
        var historical = await RunAsync("get-historical", "--repo", repo.Root, "--entities", Path.Combine(repo.Root, "entities.csv"),
            "--features", "user_stats:orders_7d", "--output", Path.Combine(repo.Root, "t.parquet"), "--save-as", "first");
        Assert.True(historical.Exit == 0, historical.Err);

        var (exit, output, err) = await RunAsync("registry-dump", "--repo", repo.Root);

        Assert.True(exit == 0, err);
        var dump = JsonNode.Parse(output)!.AsObject();
        Assert.Equal(["project", "registry_version", "entities", "data_sources", "feature_views", "on_demand_feature_views", "feature_services", "alerts", "experiments", "saved_datasets"], dump.Select(p => p.Key));
        Assert.Equal("shop", (string?)dump["project"]);
        Assert.Equal(1, (long?)dump["registry_version"]);
        await using var server = new GranaryServer(new GranaryServerOptions { RepositoryPath = repo.Root, Port = 0, GrpcPort = null }, logging => logging.ClearProviders());
        await server.StartAsync();
        using var http = new HttpClient { BaseAddress = server.HttpUrl };
        var described = 0;
        foreach (var (property, path) in new[] { ("entities", "entities"), ("data_sources", "data-sources"), ("feature_views", "feature-views"), ("on_demand_feature_views", "on-demand-feature-views"), ("feature_services", "feature-services") })
        {
            foreach (var element in dump[property]!.AsArray())
            {
                var fromServer = JsonNode.Parse(await http.GetStringAsync($"{path}/{(string?)element!["name"]}"));
                Assert.True(JsonNode.DeepEquals(fromServer, element), $"{property}: {element.ToJsonString()} vs {fromServer!.ToJsonString()}");
                described++;
            }
        }

        await server.StopAsync();
        Assert.Equal(8, described);
        var dataset = Assert.Single(dump["saved_datasets"]!.AsArray())!;
        Assert.Equal("first", (string?)dataset["name"]);
        Assert.Equal(2, (long?)dataset["spec"]!["row_count"]);
        Assert.Equal(["user_stats:orders_7d"], dataset["spec"]!["features"]!.AsArray().Select(f => (string?)f));
    }

    [Fact]
    public async Task Projects_list_shows_the_applied_project_and_marks_it()
    {
        using var repo = SampleRepository.Create();
        var before = await RunAsync("projects", "list", "--repo", repo.Root);
        Assert.Equal(0, (await RunAsync("apply", "--repo", repo.Root)).Exit);
        Assert.Equal(0, (await RunAsync("apply", "--repo", repo.Root)).Exit);

        var (exit, output, _) = await RunAsync("projects", "list", "--repo", repo.Root);

        Assert.Contains("No project in the registry yet", before.Out, StringComparison.Ordinal);
        Assert.Equal(0, exit);
        Assert.Matches(@"\*\s+shop\s+2\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ", output);
    }

    [Theory]
    [InlineData(new[] { "feature-views", "list", "--tag", "team=growth" }, new[] { "user_stats" }, new[] { "item_info" })]
    [InlineData(new[] { "feature-views", "list", "--tag", "team=growth", "--tag", "tier=gold" }, new string[0], new[] { "user_stats", "item_info" })]
    [InlineData(new[] { "feature-views", "list", "--tag", "team=ads" }, new string[0], new[] { "user_stats", "item_info" })]
    [InlineData(new[] { "data-sources", "list", "--tag", "owner=data" }, new[] { "item_source" }, new[] { "user_stats_source" })]
    [InlineData(new[] { "entities", "list", "--tag", "pii=yes" }, new[] { "user" }, new[] { "item" })]
    [InlineData(new[] { "feature-services", "list", "--tag", "stage=prod" }, new[] { "recommender" }, new string[0])]
    public async Task List_commands_show_only_objects_with_every_tag_given(string[] args, string[] listed, string[] notListed)
    {
        using var repo = SampleRepository.Create()
            .Write("entities.yaml", SampleRepository.Entities.Replace("    description: A shopper.", "    description: A shopper.\n    tags: {pii: \"yes\"}", StringComparison.Ordinal))
            .Write("features/shop.yaml", SampleRepository.Features
                .Replace("    field_mapping: {sku: item_id}", "    field_mapping: {sku: item_id}\n    tags: {owner: data}", StringComparison.Ordinal)
                .Replace("    features: [user_stats:orders_7d, item_info:price]", "    features: [user_stats:orders_7d, item_info:price]\n    tags: {stage: prod, team: ml}", StringComparison.Ordinal)
                .Replace("    tags: {team: growth}", "    tags: {team: growth, tier: silver}", StringComparison.Ordinal));
        var apply = await RunAsync("apply", "--repo", repo.Root);
        Assert.True(apply.Exit == 0, apply.Err);

        var (exit, output, err) = await RunAsync([.. args, "--repo", repo.Root]);

        Assert.True(exit == 0, err);
        Assert.All(listed, name => Assert.Matches($@"(?m)^{name}\s", output));
        Assert.All(notListed, name => Assert.DoesNotMatch($@"(?m)^{name}\s", output));
        if (listed.Length == 0)
        {
            Assert.Contains("with tags", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_tag_without_a_value_is_refused()
    {
        using var repo = SampleRepository.Create();

        var (exit, _, err) = await RunAsync("feature-views", "list", "--tag", "team", "--repo", repo.Root);

        Assert.Equal(1, exit);
        Assert.Contains("--tag 'team': expected key=value", err, StringComparison.Ordinal);
    }

    private static async Task<DateTimeOffset?> WatermarkAsync(TempRepository repo, string view)
    {
        await using var store = FeatureStore.Open(repo.Root);
        await store.Online.InitializeAsync();
        return await store.Online.GetWatermarkAsync(view);
    }
}
