using System.Diagnostics;
using System.Text.Json;
using Granary.OnlineServing;
using Microsoft.AspNetCore.Http;

namespace Granary.Server.Http;

/// <summary>
/// <c>POST /get-online-features</c>: Feast's request in, Feast's column-major response out. The hot path: the body
/// is read into one pooled buffer, parsed with <see cref="Utf8JsonReader"/> and the answer written straight into
/// the response pipe.
/// </summary>
internal static class OnlineFeaturesEndpoint
{
    public const string Name = "get-online-features";

    public static async Task HandleAsync(HttpContext context, EndpointRunner runner)
    {
        OnlineFeaturesRequest request;
        using (var body = await runner.ReadBodyAsync(context))
        {
            request = OnlineRequestJson.Parse(body.Span);
        }

        var started = Stopwatch.GetTimestamp();
        var response = await runner.Store.GetOnlineFeaturesAsync(request, context.RequestAborted);
        runner.Metrics.Lookup(response, request.Entities.Count, started);

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        using (var writer = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            OnlineResponseJson.Write(writer, response);
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}
