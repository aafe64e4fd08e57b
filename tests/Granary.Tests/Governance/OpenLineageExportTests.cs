using System.Net;
using System.Text.Json;
using Granary.Lineage;
using Granary.Tests.Infrastructure;
using Granary.Tests.Server;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Governance;

/// <summary>
/// <c>granary lineage export</c>: the sample repository (plus a push view and a service over it) as OpenLineage
/// events, written to a file and posted to a local listener standing in for Marquez.
/// </summary>
public sealed class OpenLineageExportTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 30, 0, TimeSpan.Zero);

    private readonly TempRepository _repo = SampleRepository.Create().Write("push.yaml", ServedRepository.PushViews);
    private readonly FakeTimeProvider _clock = new(Now);

    public async Task InitializeAsync()
    {
        await using var store = FeatureStore.Open(_repo.Root);
        await store.ApplyAsync();
    }

    public Task DisposeAsync()
    {
        _repo.Dispose();
        return Task.CompletedTask;
    }

    private Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => CliRunner.RunAsync(_clock, [.. args, "--repo", _repo.Root]);

    private async Task<List<JsonElement>> ExportAsync()
    {
        var file = Path.Combine(_repo.Root, $"lineage-{Guid.NewGuid():N}.jsonl");
        var (exit, output, error) = await RunAsync("lineage", "export", "--output", file);
        Assert.True(exit == 0, error);
        Assert.Contains("Wrote 5 OpenLineage events of project 'shop'", output, StringComparison.Ordinal);
        return File.ReadAllLines(file).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
    }

    private static JsonElement Job(List<JsonElement> events, string name) =>
        Assert.Single(events, e => e.GetProperty("job").GetProperty("name").GetString() == name);

    private static List<string> Names(JsonElement datasets) => datasets.EnumerateArray().Select(d => d.GetProperty("name").GetString()!).ToList();

    private static List<(string, string)> Fields(JsonElement dataset) =>
        dataset.GetProperty("facets").GetProperty("schema").GetProperty("fields").EnumerateArray()
            .Select(f => (f.GetProperty("name").GetString()!, f.GetProperty("type").GetString()!)).ToList();

    [Fact]
    public async Task Each_view_then_each_service_is_one_run_event_in_name_order()
    {
        var events = await ExportAsync();

        Assert.Equal(
            ["feature_view.item_info", "feature_view.live_stats", "feature_view.user_stats", "feature_service.live_model", "feature_service.recommender"],
            events.Select(e => e.GetProperty("job").GetProperty("name").GetString()).ToList());
    }

    [Fact]
    public async Task Views_read_their_sources_and_services_read_the_views_they_select_features_from()
    {
        var events = await ExportAsync();

        foreach (var e in events)
        {
            Assert.Equal("COMPLETE", e.GetProperty("eventType").GetString());
            Assert.Equal(Now, e.GetProperty("eventTime").GetDateTimeOffset());
            Assert.True(Guid.TryParse(e.GetProperty("run").GetProperty("runId").GetString(), out _));
            Assert.Equal("granary.shop", e.GetProperty("job").GetProperty("namespace").GetString());
            Assert.Equal("https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent", e.GetProperty("schemaURL").GetString());
            Assert.StartsWith("urn:granary:", e.GetProperty("producer").GetString(), StringComparison.Ordinal);
        }

        var userStats = Job(events, "feature_view.user_stats");
        Assert.Equal(["data_source.user_stats_source"], Names(userStats.GetProperty("inputs")));
        var viewOut = Assert.Single(userStats.GetProperty("outputs").EnumerateArray());
        Assert.Equal("feature_view.user_stats", viewOut.GetProperty("name").GetString());
        Assert.Equal([("user_id", "int64"), ("orders_7d", "int64"), ("spend_7d", "float64")], Fields(viewOut));
        Assert.Equal(OpenLineageExporter.SchemaFacetUrl, viewOut.GetProperty("facets").GetProperty("schema").GetProperty("_schemaURL").GetString());

        // A push source's view reads the push source and the batch source that keeps its history.
        Assert.Equal(["data_source.user_stats_push", "data_source.user_stats_source"], Names(Job(events, "feature_view.live_stats").GetProperty("inputs")));

        var recommender = Job(events, "feature_service.recommender");
        var inputs = recommender.GetProperty("inputs").EnumerateArray().ToList();
        Assert.Equal(["feature_view.item_info", "feature_view.user_stats"], inputs.Select(i => i.GetProperty("name").GetString()).ToList());
        Assert.Equal([("price", "float64")], Fields(inputs[0]));
        Assert.Equal([("orders_7d", "int64")], Fields(inputs[1]));
        var serviceOut = Assert.Single(recommender.GetProperty("outputs").EnumerateArray());
        Assert.Equal([("user_stats:orders_7d", "int64"), ("item_info:price", "float64")], Fields(serviceOut));
    }

    [Fact]
    public async Task Exporting_again_gives_the_same_run_ids_and_a_changed_view_a_new_one()
    {
        var first = await ExportAsync();
        var again = await ExportAsync();
        _repo.Write("features/shop.yaml", SampleRepository.Features.Replace("ttl: 2d", "ttl: 3d", StringComparison.Ordinal));
        await using (var store = FeatureStore.Open(_repo.Root))
        {
            await store.ApplyAsync();
        }

        var changed = await ExportAsync();

        static Dictionary<string, string> Runs(List<JsonElement> events) => events.ToDictionary(
            e => e.GetProperty("job").GetProperty("name").GetString()!, e => e.GetProperty("run").GetProperty("runId").GetString()!);
        Assert.Equal(Runs(first), Runs(again));
        Assert.Equal(5, Runs(first).Values.Distinct().Count());
        Assert.NotEqual(Runs(first)["feature_view.user_stats"], Runs(changed)["feature_view.user_stats"]);
        Assert.Equal(Runs(first)["feature_view.item_info"], Runs(changed)["feature_view.item_info"]);
    }

    [Fact]
    public void Run_ids_are_rfc_name_based_uuids()
    {
        // RFC 9562's version 5 example: the DNS namespace and www.example.com.
        var id = DeterministicGuid.Create(new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "www.example.com");

        Assert.Equal(new Guid("2ed6657d-e927-568b-95e1-2665a8aea6a2"), id);
    }

    [Fact]
    public async Task Url_posts_each_event_as_json_to_the_consumers_lineage_endpoint()
    {
        var file = await ExportAsync();
        using var consumer = new OpenLineageCapture();

        var (exit, output, error) = await RunAsync("lineage", "export", "--url", consumer.Url.ToString());

        Assert.True(exit == 0, error);
        Assert.Contains("Posted 5 of 5 OpenLineage events", output, StringComparison.Ordinal);
        Assert.Equal(5, consumer.Posts.Count);
        Assert.All(consumer.Posts, p => Assert.Equal(("POST", "/api/v1/lineage"), (p.Method, p.Path)));
        Assert.All(consumer.Posts, p => Assert.StartsWith("application/json", p.ContentType, StringComparison.Ordinal));
        Assert.Equal(
            file.Select(e => e.GetProperty("run").GetProperty("runId").GetString()).ToList(),
            consumer.Posts.Select(p => JsonDocument.Parse(p.Body).RootElement.GetProperty("run").GetProperty("runId").GetString()).ToList());
    }

    [Fact]
    public async Task A_consumer_that_refuses_events_fails_the_export_naming_each_job_and_status()
    {
        using var consumer = new OpenLineageCapture(HttpStatusCode.UnprocessableEntity);

        var (exit, _, error) = await RunAsync("lineage", "export", "--url", consumer.Url.ToString());

        Assert.Equal(1, exit);
        Assert.Contains("5 events were refused", error, StringComparison.Ordinal);
        Assert.Contains("feature_view.user_stats (run ", error, StringComparison.Ordinal);
        Assert.Contains("HTTP 422", error, StringComparison.Ordinal);
        Assert.Contains("job name is invalid", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_consumer_that_cannot_be_reached_fails_the_export_with_its_address()
    {
        var url = $"http://127.0.0.1:{LoopbackPorts.Free()}/api/v1/lineage";

        var (exit, _, error) = await RunAsync("lineage", "export", "--url", url);

        Assert.Equal(1, exit);
        Assert.Contains($"Could not post lineage to {url}", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--output", "x.jsonl", "--url", "http://127.0.0.1:1/")]
    [InlineData("--url", "ftp://example.com/lineage")]
    public async Task Export_needs_exactly_one_destination_and_an_http_url(params string[] options)
    {
        var (exit, _, error) = await RunAsync(["lineage", "export", .. options]);

        Assert.Equal(1, exit);
        Assert.Contains("error: ", error, StringComparison.Ordinal);
        Assert.Contains("[invalid_argument]", error, StringComparison.Ordinal);
    }
}
