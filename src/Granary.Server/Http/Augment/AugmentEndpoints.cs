using System.Text.Json;
using Granary.Contracts.Http;
using Granary.Contracts.Http.Augment;
using Granary.Core.Model;
using Granary.Core.Values;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;

namespace Granary.Server.Http.Augment;

/// <summary>
/// The seed's two calls under <c>/api/v1/augment</c>: <c>POST /batch</c> answers <c>{entity_key: {"namespace:feature": value}}</c>
/// (each entity key in its canonical text form) and <c>POST /online</c> <c>{"namespace:feature": value}</c>; missing
/// values are null. Bodies are read with <see cref="Utf8JsonReader"/> (<see cref="AugmentRequestJson"/>) and answers
/// written whole (<see cref="JsonBody"/>), values as the online endpoint writes them.
/// </summary>
internal static class AugmentEndpoints
{
    public const string BatchName = "augment-batch";

    public const string OnlineName = "augment-online";

    /// <summary>Maps both calls and their method refusals under <paramref name="augment"/> (<c>/api/v1/augment</c>).</summary>
    public static void Map(RouteGroupBuilder augment, EndpointRunner runner)
    {
        augment.MapPost("/batch", (HttpContext context, CancellationToken _) => runner.RunAsync(context, BatchName, BatchAsync))
            .WithName("AugmentBatch").WithSummary("The latest online values of a spine of entities: {entity_key: {\"namespace:feature\": value}}.")
            .AcceptsJson(AugmentRequestJson.BatchSchema).ProducesMap(BatchAnswer()).ProducesAugmentErrors();
        augment.MapPost("/online", (HttpContext context, CancellationToken _) => runner.RunAsync(context, OnlineName, OnlineAsync))
            .WithName("AugmentOnline").WithSummary("The latest online values of one entity: {\"namespace:feature\": value}.")
            .AcceptsJson(AugmentRequestJson.OnlineSchema).ProducesMap(OnlineAnswer()).ProducesAugmentErrors();
        augment.MapRefusals(runner, "/batch", HttpMethods.Post, BatchName);
        augment.MapRefusals(runner, "/online", HttpMethods.Post, OnlineName);
    }

    private static async Task BatchAsync(HttpContext context, EndpointRunner runner)
    {
        AugmentRequestBody body;
        using (var request = await runner.ReadBodyAsync(context))
        {
            body = AugmentRequestJson.ParseBatch(request.Span);
        }

        var rows = new IReadOnlyDictionary<string, object?>[body.Rows.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = body.Rows[i];
        }

        var answer = await runner.Store.BatchGetFeaturesAsync(rows, Specs(body), context.RequestAborted);
        JsonBody.Write(context.Response, StatusCodes.Status200OK, answer, static (writer, answer) =>
        {
            writer.WriteStartObject();
            foreach (var (key, values) in answer)
            {
                writer.WritePropertyName(key);
                WriteValues(writer, values);
            }

            writer.WriteEndObject();
        });
    }

    private static async Task OnlineAsync(HttpContext context, EndpointRunner runner)
    {
        AugmentRequestBody body;
        using (var request = await runner.ReadBodyAsync(context))
        {
            body = AugmentRequestJson.ParseOnline(request.Span);
        }

        var answer = await runner.Store.OnlineGetFeaturesAsync(body.Rows[0], Specs(body), context.RequestAborted);
        JsonBody.Write(context.Response, StatusCodes.Status200OK, answer, static (writer, answer) => WriteValues(writer, answer));
    }

    private static FeatureSpec[] Specs(AugmentRequestBody body)
    {
        var specs = new FeatureSpec[body.FeatureSpecs.Count];
        for (var i = 0; i < specs.Length; i++)
        {
            var (name, features) = body.FeatureSpecs[i];
            specs[i] = new FeatureSpec(name, features);
        }

        return specs;
    }

    private static void WriteValues(Utf8JsonWriter writer, IReadOnlyDictionary<string, FeatureValue> values)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in values)
        {
            writer.WritePropertyName(name);
            OnlineResponseJson.WriteValue(writer, value);
        }

        writer.WriteEndObject();
    }

    // The answers are maps keyed by data (entity keys, feature names), which JsonBodySchema's fixed fields cannot
    // describe; their schemas are written here.
    private static OpenApiSchema OnlineAnswer() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "\"namespace:feature\" -> the latest value (floats always with a fraction or exponent, unix timestamps as epoch seconds, bytes base64), or null.",
        AdditionalProperties = new OpenApiSchema { Description = "A number, string, boolean, null, or a list of them." },
    };

    private static OpenApiSchema BatchAnswer() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "Entity key, in its canonical text form (42, \"u-42\", [42,\"A1\"]), -> that entity's features of every namespace keyed by it.",
        AdditionalProperties = OnlineAnswer(),
    };

    private static RouteHandlerBuilder ProducesMap(this RouteHandlerBuilder builder, OpenApiSchema schema) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Responses ??= [];
            operation.Responses["200"] = new OpenApiResponse
            {
                Description = "OK",
                Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal) { ["application/json"] = new OpenApiMediaType { Schema = schema } },
            };
            return Task.CompletedTask;
        });

    // 400 for a malformed body (naming the field), 404 naming the unknown namespaces and features, 413, 415, 503.
    private static RouteHandlerBuilder ProducesAugmentErrors(this RouteHandlerBuilder builder) => builder
        .ProducesJson(StatusCodes.Status400BadRequest, ErrorResponseJson.Schema)
        .ProducesJson(StatusCodes.Status404NotFound, ErrorResponseJson.Schema)
        .ProducesJson(StatusCodes.Status413PayloadTooLarge, ErrorResponseJson.Schema)
        .ProducesJson(StatusCodes.Status415UnsupportedMediaType, ErrorResponseJson.Schema)
        .ProducesJson(StatusCodes.Status503ServiceUnavailable, ErrorResponseJson.Schema);
}
