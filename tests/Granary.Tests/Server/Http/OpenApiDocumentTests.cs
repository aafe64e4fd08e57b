using System.Net;
using System.Text.Json;
using Granary.Contracts.Http;

namespace Granary.Tests.Server.Http;

/// <summary>
/// The served OpenAPI document describes every body exactly as its definition in Granary.Contracts, which the readers
/// and writers use (<see cref="Contracts.Http.RequestReaderSchemaTests"/>): the same properties, kinds and required
/// ones, at every level.
/// </summary>
public sealed class OpenApiDocumentTests(EmbeddedServedRepository served) : IClassFixture<EmbeddedServedRepository>
{
    public static TheoryData<string, string, string> Bodies => new()
    {
        { "/get-online-features", "request", "OnlineFeaturesRequest" },
        { "/get-online-features", "200", "OnlineFeaturesResponse" },
        { "/push", "request", "PushRequest" },
        { "/push", "200", "PushResponse" },
        { "/write-to-online-store", "request", "WriteToOnlineStoreRequest" },
        { "/write-to-online-store", "200", "WriteToOnlineStoreResponse" },
        { "/materialize", "request", "MaterializeRequest" },
        { "/materialize", "200", "MaterializeResponse" },
        { "/materialize-incremental", "request", "MaterializeIncrementalRequest" },
        { "/materialize-incremental", "200", "MaterializeResponse" },
        { "/health", "200", "HealthResponse" },
        { "/health", "503", "Error" },
        { "/push", "400", "Error" },
        { "/push", "422", "Error" },
        { "/api/v1/monitoring/freshness", "200", "Freshness" },
        { "/api/v1/monitoring/alerts", "200", "Alerts" },
        { "/get-online-features", "404", "Error" },
        { "/api/v1/augment/batch", "request", "AugmentBatchRequest" },
        { "/api/v1/augment/online", "request", "AugmentOnlineRequest" },
        { "/api/v1/augment/online", "404", "Error" },
    };

    private static readonly Dictionary<string, JsonBodySchema> Definitions = new JsonBodySchema[]
    {
        OnlineFeaturesRequestJson.Schema, OnlineFeaturesResponseJson.Schema, PushRequestJson.Schema, PushResponseJson.Schema,
        WriteToOnlineStoreRequestJson.Schema, WriteToOnlineStoreResponseJson.Schema, MaterializeRequestJson.MaterializeSchema,
        MaterializeRequestJson.IncrementalSchema, MaterializeResponseJson.Schema, HealthResponseJson.Schema, ErrorResponseJson.Schema,
        Granary.Contracts.Http.Monitoring.FreshnessJson.Schema,
        Granary.Contracts.Http.Monitoring.AlertsJson.Schema,
        Granary.Contracts.Http.Augment.AugmentRequestJson.BatchSchema, Granary.Contracts.Http.Augment.AugmentRequestJson.OnlineSchema,
    }.ToDictionary(s => s.Name);

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Each_body_in_the_document_is_its_definition(string path, string part, string definition)
    {
        var (response, document) = await served.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var operation = document.GetProperty("paths").GetProperty(path).EnumerateObject().Single().Value;
        var content = part == "request" ? operation.GetProperty("requestBody") : operation.GetProperty("responses").GetProperty(part);
        AssertDescribes(Definitions[definition], content.GetProperty("content").GetProperty("application/json").GetProperty("schema"), definition);
    }

    private static void AssertDescribes(JsonBodySchema body, JsonElement schema, string where)
    {
        Assert.Equal("object", schema.GetProperty("type").GetString());
        var properties = schema.GetProperty("properties");
        Assert.Equal(body.Fields.Select(f => f.Name).Order(StringComparer.Ordinal), properties.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var required = schema.TryGetProperty("required", out var list) ? list.EnumerateArray().Select(r => r.GetString()!).ToList() : [];
        Assert.Equal(body.Fields.Where(f => f.Required).Select(f => f.Name).Order(StringComparer.Ordinal), required.Order(StringComparer.Ordinal));
        foreach (var field in body.Fields)
        {
            var property = properties.GetProperty(field.Name);
            Assert.Equal(field.Description, property.GetProperty("description").GetString());
            var (type, items) = Expected(field.Kind);
            Assert.True(type == property.GetProperty("type").GetString(), $"{where}.{field.Name}: {property}");
            if (items is not null)
            {
                Assert.Equal(items, property.GetProperty("items").TryGetProperty("type", out var t) ? t.GetString() : "any");
            }

            if (field.Kind == JsonFieldKind.Enum)
            {
                Assert.Equal(field.AllowedValues, property.GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
            }

            if (field.Body is { } inner)
            {
                AssertDescribes(inner, field.Kind == JsonFieldKind.Object ? property : property.GetProperty("items"), $"{where}.{field.Name}");
            }
        }
    }

    private static (string Type, string? Items) Expected(JsonFieldKind kind) => kind switch
    {
        JsonFieldKind.String or JsonFieldKind.Enum or JsonFieldKind.Timestamp => ("string", null),
        JsonFieldKind.Boolean => ("boolean", null),
        JsonFieldKind.Integer => ("integer", null),
        JsonFieldKind.Number => ("number", null),
        JsonFieldKind.StringList or JsonFieldKind.TimestampList => ("array", "string"),
        JsonFieldKind.ValueList => ("array", "any"),
        JsonFieldKind.ObjectList or JsonFieldKind.AnyObjectList => ("array", "object"),
        JsonFieldKind.Columns or JsonFieldKind.Object or JsonFieldKind.AnyObject => ("object", null),
        _ => throw new InvalidOperationException($"No expectation for {kind}."),
    };
}
