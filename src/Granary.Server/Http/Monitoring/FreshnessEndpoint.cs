using System.Text.Json;
using Granary.Contracts.Http;
using Granary.Contracts.Http.Monitoring;
using Granary.Monitoring;
using Granary.Server.Http.Governance;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Granary.Server.Http.Monitoring;

/// <summary><c>GET /api/v1/monitoring/freshness</c>: <c>{"views": [{"name", "newest_event", "age_seconds", "expected", "status", ...}]}</c>.</summary>
internal static class FreshnessEndpoint
{
    private const string Name = "monitoring-freshness";

    public static void Map(RouteGroupBuilder monitoring, EndpointRunner runner)
    {
        monitoring.MapGet("/freshness", (HttpContext context, CancellationToken _) => runner.RunAsync(context, Name, GetAsync))
            .WithName("GetFreshness").WithSummary("Every feature view's newest event time, its age and whether it is fresh, stale or very_stale against the view's freshness.")
            .ProducesJson(StatusCodes.Status200OK, FreshnessJson.Schema)
            .ProducesJson(StatusCodes.Status503ServiceUnavailable, ErrorResponseJson.Schema);
        monitoring.MapRefusals(runner, "/freshness", HttpMethods.Get, Name);
    }

    public static async Task GetAsync(HttpContext context, EndpointRunner runner)
    {
        var views = await runner.Store.GetFreshnessAsync(context.RequestAborted);
        JsonBody.WriteObject(context.Response, writer =>
        {
            writer.WriteStartArray(FreshnessJson.Views.EncodedName);
            foreach (var view in views)
            {
                Write(writer, view);
            }

            writer.WriteEndArray();
        });
    }

    internal static void Write(Utf8JsonWriter writer, ViewFreshness view)
    {
        writer.WriteStartObject();
        writer.WriteString(FreshnessJson.Name.EncodedName, view.Name);
        GovernanceJson.WriteTime(writer, FreshnessJson.NewestEvent.EncodedName, view.NewestEvent);
        if (view.Age is { } age)
        {
            writer.WriteNumber(FreshnessJson.AgeSeconds.EncodedName, age.TotalSeconds);
        }
        else
        {
            writer.WriteNull(FreshnessJson.AgeSeconds.EncodedName);
        }

        writer.WriteString(FreshnessJson.Expected.EncodedName, view.Expectation.Expected);
        writer.WriteNumber(FreshnessJson.FreshSeconds.EncodedName, view.Expectation.Fresh.TotalSeconds);
        writer.WriteNumber(FreshnessJson.StaleSeconds.EncodedName, view.Expectation.Stale.TotalSeconds);
        writer.WriteString(FreshnessJson.Status.EncodedName, view.StatusKey);
        writer.WriteEndObject();
    }
}
