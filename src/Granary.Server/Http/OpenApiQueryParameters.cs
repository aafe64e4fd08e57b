using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.OpenApi;

namespace Granary.Server.Http;

/// <summary>
/// Describes a query parameter in the OpenAPI document for an endpoint that reads its query itself (the monitoring
/// endpoints parse periods and options by hand, so ASP.NET Core cannot see them from the handler's signature).
/// </summary>
internal static class OpenApiQueryParameters
{
    /// <summary>The endpoint takes the optional query parameter <paramref name="name"/>, one of <paramref name="allowed"/> when any are given.</summary>
    public static RouteHandlerBuilder DocumentsQuery(this RouteHandlerBuilder builder, string name, string description, params string[] allowed) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            var schema = new OpenApiSchema { Type = JsonSchemaType.String };
            if (allowed.Length > 0)
            {
                schema.Enum = [.. allowed.Select(a => (JsonNode)JsonValue.Create(a))];
                schema.Default = JsonValue.Create(allowed[0]);
            }

            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Query,
                Required = false,
                Description = description,
                Schema = schema,
            });
            return Task.CompletedTask;
        });
}
