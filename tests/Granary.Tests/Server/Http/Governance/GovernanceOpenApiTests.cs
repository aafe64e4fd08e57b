using System.Net;
using System.Text.Json;
using Granary.Contracts.Http;
using Granary.Contracts.Http.Governance;

namespace Granary.Tests.Server.Http.Governance;

/// <summary>
/// The served OpenAPI document describes every governance operation at its path and method, with its bodies exactly
/// as their definitions in Granary.Contracts (the ones the readers and writers take their names from).
/// </summary>
public sealed class GovernanceOpenApiTests(EmbeddedServedRepository served) : IClassFixture<EmbeddedServedRepository>
{
    public static TheoryData<string, string, string, string> Bodies => new()
    {
        { "/api/v1/features", "post", "request", "FeatureCreate" },
        { "/api/v1/features", "post", "201", "Feature" },
        { "/api/v1/features", "get", "200", "FeatureList" },
        { "/api/v1/features/{feature_name}", "get", "200", "Feature" },
        { "/api/v1/features/{feature_name}", "put", "request", "FeatureUpdate" },
        { "/api/v1/features/{feature_name}", "get", "404", "Error" },
        { "/api/v1/features/{feature_name}/activate", "post", "200", "Feature" },
        { "/api/v1/features/{feature_name}/deprecate", "post", "409", "Error" },
        { "/api/v1/features/{feature_name}/archive", "post", "200", "Feature" },
        { "/api/v1/features/{feature_name}/versions", "post", "request", "FeatureVersionCreate" },
        { "/api/v1/features/{feature_name}/versions", "post", "201", "FeatureVersion" },
        { "/api/v1/features/{feature_name}/versions", "post", "422", "Error" },
        { "/api/v1/features/{feature_name}/versions", "get", "200", "FeatureVersionList" },
        { "/api/v1/features/{feature_name}/rollback", "post", "200", "FeatureVersion" },
        { "/api/v1/features/{feature_name}/lineage", "get", "200", "FeatureLineage" },
        { "/api/v1/features/{feature_name}/impact", "get", "200", "FeatureImpact" },
        { "/api/v1/features/{feature_name}/statistics", "get", "200", "FeatureStatistics" },
        { "/api/v1/features/usage", "post", "request", "FeatureUsageCreate" },
        { "/api/v1/features/usage", "post", "201", "FeatureUsage" },
    };

    private static readonly Dictionary<string, JsonBodySchema> Definitions = new JsonBodySchema[]
    {
        FeatureJson.Schema, FeatureJson.ListSchema, FeatureJson.CreateSchema, FeatureJson.UpdateSchema, FeatureVersionJson.Schema, FeatureVersionJson.ListSchema,
        FeatureVersionJson.CreateSchema, FeatureLineageJson.Schema, FeatureImpactJson.Schema, FeatureStatisticsJson.Schema, FeatureUsageJson.RequestSchema,
        FeatureUsageJson.Schema, ErrorResponseJson.Schema,
    }.ToDictionary(s => s.Name);

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Each_governance_body_in_the_document_is_its_definition(string path, string method, string part, string definition)
    {
        var (response, document) = await served.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);
        var content = part == "request" ? operation.GetProperty("requestBody") : operation.GetProperty("responses").GetProperty(part);
        AssertDescribes(Definitions[definition], content.GetProperty("content").GetProperty("application/json").GetProperty("schema"), $"{method} {path} {part}");
    }

    [Fact]
    public async Task The_read_only_registry_lists_and_delete_are_in_the_document()
    {
        var (_, document) = await served.GetAsync("/openapi/v1.json");
        var paths = document.GetProperty("paths");

        foreach (var path in new[] { "/api/v1/entities", "/api/v1/data-sources", "/api/v1/feature-views", "/api/v1/feature-views/{name}", "/api/v1/feature-services", "/api/v1/feature-services/{name}" })
        {
            Assert.True(paths.GetProperty(path).TryGetProperty("get", out _), path);
        }

        Assert.True(paths.GetProperty("/api/v1/features/{feature_name}").GetProperty("delete").GetProperty("responses").TryGetProperty("204", out _));
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
            Assert.True(field.Description == property.GetProperty("description").GetString(), $"{where}.{field.Name}");
            if (field.Body is { } inner)
            {
                AssertDescribes(inner, field.Kind == JsonFieldKind.Object ? property : property.GetProperty("items"), $"{where}.{field.Name}");
            }
        }
    }
}
