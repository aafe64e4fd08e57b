using System.Text.Json;
using Granary.OnlineServing;
using Microsoft.AspNetCore.Http;

namespace Granary.Server.Http;

/// <summary>
/// <c>POST /get-online-features</c>: Feast's request in, Feast's column-major response out. The hot path: the body
/// is read into one pooled buffer and parsed with <see cref="Utf8JsonReader"/>, the query's resolution is cached per
/// shape of request, and the answer is written whole into a reused buffer (<see cref="JsonBody"/>).
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

        var response = await LookupAsync(runner, request, context.RequestAborted);
        Write(context.Response, response);
    }

    /// <summary>Reads the features and counts their statuses.</summary>
    internal static async Task<OnlineFeaturesResponse> LookupAsync(EndpointRunner runner, OnlineFeaturesRequest request, CancellationToken cancellationToken)
    {
        var response = await runner.Store.GetOnlineFeaturesAsync(request, cancellationToken);
        runner.Metrics.Lookup(response, request.Entities.Count);
        return response;
    }

    internal static void Write(HttpResponse http, OnlineFeaturesResponse response) =>
        JsonBody.Write(http, StatusCodes.Status200OK, response, static (writer, response) => OnlineResponseJson.Write(writer, response));
}
