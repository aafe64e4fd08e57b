using System.Text.Json;
using Granary.Contracts.Http.Monitoring;
using Granary.Monitoring;
using Granary.Server.Http.Governance;
using Microsoft.AspNetCore.Http;

namespace Granary.Server.Http.Monitoring;

/// <summary><c>GET /api/v1/monitoring/freshness</c>: <c>{"views": [{"name", "newest_event", "age_seconds", "expected", "status", ...}]}</c>.</summary>
internal static class FreshnessEndpoint
{
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
