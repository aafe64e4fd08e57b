using System.Net;
using System.Text.Json;
using Granary.Tests.Server;

namespace Granary.Tests.Quality.Reports;

/// <summary><c>GET /api/v1/monitoring/report/{view}</c>: the page as HTML, and refusals as JSON {"error", "detail"}.</summary>
public sealed class ReportEndpointTests
{
    private const string Periods = $"current_start={ReportRepository.CurrentStart}&current_end={ReportRepository.CurrentEnd}&baseline_start={ReportRepository.BaselineStart}&baseline_end={ReportRepository.CurrentStart}";

    [Fact]
    public async Task The_endpoint_serves_the_html_report_and_refuses_an_unknown_view_with_json()
    {
        using var repo = await ReportRepository.CreateAsync();
        await using var server = await ServedRepository.StartAsync(repo.Root);
        using var client = new HttpClient { BaseAddress = server.HttpUrl, Timeout = TimeSpan.FromSeconds(60) };

        using var ok = await client.GetAsync(new Uri($"api/v1/monitoring/report/ad_stats?{Periods}", UriKind.Relative));
        using var unknown = await client.GetAsync(new Uri($"api/v1/monitoring/report/nope?{Periods}", UriKind.Relative));
        using var badTime = await client.GetAsync(new Uri("api/v1/monitoring/report/ad_stats?current_start=later", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("text/html", ok.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", ok.Content.Headers.ContentType?.CharSet);
        var html = await ok.Content.ReadAsStringAsync();
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(html, "src=\"data:image/png;base64,"));
        Assert.Contains("class=\"severity-high\">high<", html, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var error = JsonDocument.Parse(await unknown.Content.ReadAsStringAsync());
        Assert.Equal("not_found", error.RootElement.GetProperty("error").GetString());
        Assert.Contains("nope", error.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badTime.StatusCode);
        using var timeError = JsonDocument.Parse(await badTime.Content.ReadAsStringAsync());
        Assert.Contains("current_start: 'later' is not a time", timeError.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
