using System.Text.Json;
using Granary.Contracts.Http;
using Granary.OnlineServing;
using Microsoft.AspNetCore.Http;

namespace Granary.Server.Http;

/// <summary>
/// <c>POST /get-online-features</c>: Feast's request in, Feast's column-major response out. The hot path: the body
/// is read into one pooled buffer and parsed with <see cref="Utf8JsonReader"/> (<see cref="OnlineFeaturesRequestJson"/>),
/// the query's resolution is cached per shape of request, and the answer is written whole into a reused buffer
/// (<see cref="JsonBody"/>, <see cref="OnlineResponseJson"/>).
/// </summary>
internal static class OnlineFeaturesEndpoint
{
    public const string Name = "get-online-features";

    public static async Task HandleAsync(HttpContext context, EndpointRunner runner)
    {
        OnlineFeaturesRequest request;
        using (var body = await runner.ReadBodyAsync(context))
        {
            request = Parse(body.Span, ServingCaller.Of(context), ServingCaller.ModelOf(context));
        }

        var response = await LookupAsync(runner, request, context.RequestAborted);
        Write(context.Response, response);
    }

    /// <summary>The body as the facade's request: the wire's primitives are what the facade takes, so nothing is copied.</summary>
    internal static OnlineFeaturesRequest Parse(ReadOnlySpan<byte> body, string? caller = null, string? model = null)
    {
        var wire = OnlineFeaturesRequestJson.Parse(body);
        return new OnlineFeaturesRequest
        {
            Features = wire.Features,
            FeatureService = wire.FeatureService,
            Entities = wire.Entities,
            FullFeatureNames = wire.FullFeatureNames,
            RequestContext = wire.RequestContext,
            Experiment = wire.Experiment,
            UnitId = wire.UnitId,
            Caller = caller,
            Model = model,
        };
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
