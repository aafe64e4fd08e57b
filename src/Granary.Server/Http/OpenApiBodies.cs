using System.Globalization;
using System.Text.Json.Nodes;
using Granary.Contracts.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;

namespace Granary.Server.Http;

/// <summary>
/// Describes an endpoint's bodies in the OpenAPI document from their one definition in Granary.Contracts
/// (<see cref="JsonBodySchema"/>), the same the readers and writers take their field names from: a field renamed there
/// is renamed in the document too, and no schema type restates a body.
/// </summary>
internal static class OpenApiBodies
{
    private const string Json = "application/json";

    /// <summary>The request body is <paramref name="body"/>, as JSON.</summary>
    public static RouteHandlerBuilder AcceptsJson(this RouteHandlerBuilder builder, JsonBodySchema body) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.RequestBody = new OpenApiRequestBody { Required = true, Content = Content(body) };
            return Task.CompletedTask;
        });

    /// <summary>The answer with <paramref name="status"/> is <paramref name="body"/>, as JSON.</summary>
    public static RouteHandlerBuilder ProducesJson(this RouteHandlerBuilder builder, int status, JsonBodySchema body) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Responses ??= [];
            operation.Responses[status.ToString(CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = ReasonPhrases.GetReasonPhrase(status),
                Content = Content(body),
            };
            return Task.CompletedTask;
        });

    /// <summary>The JSON schema of <paramref name="body"/>: an object of its fields, the required ones listed as such.</summary>
    public static OpenApiSchema ToSchema(JsonBodySchema body)
    {
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = body.Description,
            Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal),
            Required = new HashSet<string>(StringComparer.Ordinal),
        };
        foreach (var field in body.Fields)
        {
            var property = ToSchema(field);
            property.Description = field.Description;
            schema.Properties[field.Name] = property;
            if (field.Required)
            {
                schema.Required.Add(field.Name);
            }
        }

        return schema;
    }

    private static OpenApiSchema ToSchema(JsonField field) => field.Kind switch
    {
        JsonFieldKind.String => new OpenApiSchema { Type = JsonSchemaType.String },
        JsonFieldKind.Enum => new OpenApiSchema { Type = JsonSchemaType.String, Enum = Allowed(field) },
        JsonFieldKind.Timestamp => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
        JsonFieldKind.Boolean => new OpenApiSchema { Type = JsonSchemaType.Boolean },
        JsonFieldKind.Integer => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" },
        JsonFieldKind.Number => new OpenApiSchema { Type = JsonSchemaType.Number, Format = "double" },
        JsonFieldKind.StringList => ArrayOf(new OpenApiSchema { Type = JsonSchemaType.String, Enum = field.AllowedValues.Count > 0 ? Allowed(field) : null }),
        JsonFieldKind.TimestampList => ArrayOf(new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" }),
        JsonFieldKind.Columns => new OpenApiSchema { Type = JsonSchemaType.Object, AdditionalProperties = ArrayOf(AnyValue()) },
        JsonFieldKind.ValueList => ArrayOf(AnyValue()),
        JsonFieldKind.Object => ToSchema(field.Body!),
        JsonFieldKind.ObjectList => ArrayOf(ToSchema(field.Body!)),
        JsonFieldKind.AnyObject => new OpenApiSchema { Type = JsonSchemaType.Object, AdditionalProperties = new OpenApiSchema { Description = "Any JSON value." } },
        JsonFieldKind.AnyObjectList => ArrayOf(new OpenApiSchema { Type = JsonSchemaType.Object, AdditionalProperties = AnyValue() }),
        _ => throw new InvalidOperationException($"Field '{field.Name}' has kind {field.Kind}, which has no OpenAPI schema."),
    };

    private static Dictionary<string, OpenApiMediaType> Content(JsonBodySchema body) => new(StringComparer.Ordinal)
    {
        [Json] = new OpenApiMediaType { Schema = ToSchema(body) },
    };

    private static OpenApiSchema ArrayOf(OpenApiSchema items) => new() { Type = JsonSchemaType.Array, Items = items };

    // A number, string, boolean, null or list of them: what a column's cell or an answer's value holds.
    private static OpenApiSchema AnyValue() => new() { Description = "A number, string, boolean, null, or a list of them." };

    private static List<JsonNode> Allowed(JsonField field)
    {
        var values = new List<JsonNode>(field.AllowedValues.Count);
        foreach (var value in field.AllowedValues)
        {
            values.Add(JsonValue.Create(value));
        }

        return values;
    }
}
