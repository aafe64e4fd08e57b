using System.Net;
using System.Text.Json;
using Granary.Tests.Infrastructure;
using Granary.Tests.Server;

namespace Granary.Tests.Quality.Drift;

/// <summary><c>GET /api/v1/monitoring/drift/{view}</c>: the CLI's check and JSON over HTTP, and its refusals as {"error", "detail"}.</summary>
public sealed class DriftEndpointTests
{
    private const string Current = $"current_start={DriftCheckCliTests.BaselineEnd}&current_end={DriftCheckCliTests.CurrentEnd}";

    [Fact]
    public async Task The_endpoint_answers_the_cli_json_and_refuses_bad_queries_with_4xx()
    {
        using var repo = await DriftCheckCliTests.CreateRepositoryAsync();
        var cli = await CliRunner.RunAsync("drift", "ad_stats", "--repo", repo.Root, "--current-start", DriftCheckCliTests.BaselineEnd, "--current-end", DriftCheckCliTests.CurrentEnd,
            "--baseline-start", DriftCheckCliTests.BaselineStart, "--baseline-end", DriftCheckCliTests.BaselineEnd, "--format", "json");
        Assert.True(cli.Exit == 0, cli.Err);
        await using var server = await ServedRepository.StartAsync(repo.Root);
        using var client = new HttpClient { BaseAddress = server.HttpUrl, Timeout = TimeSpan.FromSeconds(60) };

        var (ok, body) = await GetAsync(client, $"api/v1/monitoring/drift/ad_stats?{Current}&baseline_start={DriftCheckCliTests.BaselineStart}&baseline_end={DriftCheckCliTests.BaselineEnd}");
        var (none, noneBody) = await GetAsync(client, $"api/v1/monitoring/drift/ad_stats?{Current}");
        var (two, twoBody) = await GetAsync(client, $"api/v1/monitoring/drift/ad_stats?{Current}&baseline_profile=x&baseline_dataset=y");
        var (view, viewBody) = await GetAsync(client, $"api/v1/monitoring/drift/nope?{Current}&baseline_profile=x");
        var (feature, featureBody) = await GetAsync(client, $"api/v1/monitoring/drift/ad_stats?{Current}&baseline_start={DriftCheckCliTests.BaselineStart}&baseline_end={DriftCheckCliTests.BaselineEnd}&features=ctr,nope");
        var (time, timeBody) = await GetAsync(client, $"api/v1/monitoring/drift/ad_stats?current_start=later&current_end=now&baseline_profile=x");

        Assert.Equal(HttpStatusCode.OK, ok);
        using var expected = JsonDocument.Parse(cli.Out);
        Assert.Equal(JsonSerializer.Serialize(expected.RootElement), JsonSerializer.Serialize(body));
        Assert.Equal("high", body.GetProperty("features")[0].GetProperty("severity").GetString());
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_argument"), (none, noneBody.GetProperty("error").GetString()));
        Assert.Contains("needs a baseline", noneBody.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_argument"), (two, twoBody.GetProperty("error").GetString()));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (view, viewBody.GetProperty("error").GetString()));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (feature, featureBody.GetProperty("error").GetString()));
        Assert.Contains("has no feature 'nope'", featureBody.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, time);
        Assert.Contains("current_start: 'later' is not a time", timeBody.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode, JsonElement)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }
}
