using System.Net;
using System.Text.Json;
using Granary.Tests.Server;

namespace Granary.Tests.Quality.Rules;

/// <summary><c>GET /api/v1/monitoring/validation/{view}</c>: the CLI's JSON, 404 for an unknown view, 400 for a bad time.</summary>
public sealed class ValidationEndpointTests
{
    [Fact]
    public async Task The_endpoint_answers_the_report_and_refuses_unknown_views_and_bad_times_with_error_bodies()
    {
        using var repo = await ValidationRepository.CreateAsync();
        await using var server = await ServedRepository.StartAsync(repo.Root);
        using var client = new HttpClient { BaseAddress = server.HttpUrl };

        var (status, report) = await GetAsync(client, "/api/v1/monitoring/validation/ad_stats?start=2026-11-01T00:00:00Z&end=2026-11-02");
        var (allStatus, all) = await GetAsync(client, "/api/v1/monitoring/validation/ad_stats");
        var (missingStatus, missing) = await GetAsync(client, "/api/v1/monitoring/validation/no_such_view");
        var (badStatus, bad) = await GetAsync(client, "/api/v1/monitoring/validation/ad_stats?end=tomorrow");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(report.GetProperty("passed").GetBoolean());
        Assert.Equal("2026-11-02T00:00:00.0000000Z", report.GetProperty("end").GetString());
        var range = report.GetProperty("rules")[0];
        Assert.Equal(("ctr", "range", 1L, 2L, "1.5"), (range.GetProperty("feature").GetString(), range.GetProperty("rule").GetString(), range.GetProperty("failed").GetInt64(), range.GetProperty("total").GetInt64(), range.GetProperty("example").GetString()));

        Assert.Equal(HttpStatusCode.OK, allStatus);
        Assert.Equal(JsonValueKind.Null, all.GetProperty("start").ValueKind);
        Assert.Equal(JsonValueKind.Null, all.GetProperty("end").ValueKind);
        Assert.Equal(3, all.GetProperty("rules")[1].GetProperty("total").GetInt64());

        Assert.Equal(HttpStatusCode.NotFound, missingStatus);
        Assert.Equal("not_found", missing.GetProperty("error").GetString());
        Assert.Contains("no_such_view", missing.GetProperty("detail").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Equal("invalid_argument", bad.GetProperty("error").GetString());
        Assert.Equal("end: 'tomorrow' is not a time; use ISO-8601 (2026-11-01, 2026-11-01T12:00:00Z) or 'now'.", bad.GetProperty("detail").GetString());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }
}
