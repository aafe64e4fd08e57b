using System.Globalization;
using System.Net;
using System.Text.Json;
using Granary.Tests.Infrastructure;
using Granary.Tests.Server;

namespace Granary.Tests.Quality.Drift;

/// <summary>
/// <see cref="ServingDriftContract"/> on DuckDB (the source a Parquet file, the serving log Parquet files), and
/// <c>--current-source</c> / <c>current_source</c> through the CLI and the endpoint.
/// </summary>
public sealed class ServingDriftDuckDbTests : ServingDriftContract
{
    protected override async Task<TempRepository> RepositoryAsync(IReadOnlyList<AdRow> rows)
    {
        var repo = new TempRepository()
            .Write("granary.yaml", "project: ads\nregistry: data/registry.db\nmonitoring: {serving_sample_rate: 1.0}\n")
            .Write("features.yaml", Definitions + "\n" + """
                sources:
                  - {name: ads, type: file, path: data/ads.parquet, timestamp_field: ts}
                """);
        var values = string.Join(", ", rows.Select(r => string.Create(
            CultureInfo.InvariantCulture, $"(CAST({r.AdId} AS BIGINT), TIMESTAMPTZ '{r.EventTime:yyyy-MM-dd HH:mm:ss}+00', CAST({r.Ctr:R} AS DOUBLE), '{r.Country}')")));
        await ParquetFiles.WriteAsync(repo, "data/ads.parquet", $"SELECT * FROM (VALUES {values}) AS t(ad_id, ts, ctr, country)");
        return repo;
    }

    [Fact]
    public async Task The_cli_and_the_endpoint_take_the_current_source_and_refuse_an_unknown_one()
    {
        using var repo = await ServeAsync(sourceMovesOn: true);
        string[] period = ["drift", "ad_stats", "--repo", repo.Root, "--current-start", Instant(Served.CurrentStart), "--current-end", Instant(Served.CurrentEnd), "--baseline-dataset", "train"];

        var json = await CliRunner.RunAsync([.. period, "--current-source", "serving", "--format", "json"]);
        var text = await CliRunner.RunAsync([.. period, "--current-source", "serving"]);
        var unknown = await CliRunner.RunAsync([.. period, "--current-source", "online"]);

        Assert.True(json.Exit == 0, json.Err);
        using var document = JsonDocument.Parse(json.Out);
        var ctr = document.RootElement.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "ctr");
        Assert.Equal("high", ctr.GetProperty("severity").GetString());
        Assert.True(text.Exit == 0, text.Err);
        Assert.Contains("values served from", text.Out, StringComparison.Ordinal);
        Assert.NotEqual(0, unknown.Exit);
        Assert.Contains("online", unknown.Err, StringComparison.Ordinal);
        Assert.Contains("serving", unknown.Err, StringComparison.Ordinal);

        await using var server = await ServedRepository.StartAsync(repo.Root);
        using var client = new HttpClient { BaseAddress = server.HttpUrl, Timeout = TimeSpan.FromSeconds(60) };
        var query = $"current_start={Instant(Served.CurrentStart)}&current_end={Instant(Served.CurrentEnd)}&baseline_dataset=train";
        var (ok, body) = await GetAsync(client, $"api/v1/monitoring/drift/ad_stats?{query}&current_source=serving");
        var (offline, offlineBody) = await GetAsync(client, $"api/v1/monitoring/drift/ad_stats?{query}");
        var (bad, badBody) = await GetAsync(client, $"api/v1/monitoring/drift/ad_stats?{query}&current_source=online");
        var (_, openApi) = await GetAsync(client, "openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal(JsonSerializer.Serialize(document.RootElement), JsonSerializer.Serialize(body));
        Assert.Equal(HttpStatusCode.OK, offline);
        Assert.NotEqual(JsonSerializer.Serialize(body), JsonSerializer.Serialize(offlineBody));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_argument"), (bad, badBody.GetProperty("error").GetString()));
        Assert.StartsWith("current_source: 'online'", badBody.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var parameter = openApi.GetProperty("paths").GetProperty("/api/v1/monitoring/drift/{view}").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Single(p => p.GetProperty("name").GetString() == "current_source");
        Assert.Equal("query", parameter.GetProperty("in").GetString());
        Assert.Equal(["offline", "serving"], parameter.GetProperty("schema").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("serving log", parameter.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode, JsonElement)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }
}
