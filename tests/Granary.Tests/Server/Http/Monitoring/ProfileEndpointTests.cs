using System.Net;
using System.Text.Json;
using Granary.Contracts.Http;
using Granary.Contracts.Http.Monitoring;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Server.Http.Monitoring;

/// <summary>
/// <c>GET /api/v1/monitoring/profiles?view=V</c> and <c>/api/v1/monitoring/profiles/{id}</c> on a real server, over
/// profiles the CLI computed of the served repository's user_stats (two rows).
/// </summary>
public sealed class ProfileEndpointTests(EmbeddedServedRepository served) : IClassFixture<EmbeddedServedRepository>
{
    [Fact]
    public async Task A_stored_profile_is_served_by_id_as_the_bytes_the_cli_printed()
    {
        var (exit, printed, err) = await CliRunner.RunAsync("profile", "user_stats", "--start", "2026-10-01", "--end", "2026-12-01", "--format", "json", "--repo", served.Repo.Root);
        Assert.True(exit == 0, err);
        var id = JsonDocument.Parse(printed).RootElement.GetProperty("id").GetString();

        var response = await served.Client.GetAsync(new Uri($"api/v1/monitoring/profiles/{id}", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(printed.TrimEnd('\n', '\r'), body);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(2, json.RootElement.GetProperty("rows").GetInt64());
        Assert.Equal(["orders_7d", "spend_7d"], json.RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        // 120.5 and 0.0
        Assert.Equal(60.25, json.RootElement.GetProperty("features")[1].GetProperty("mean").GetDouble(), 12);
        AssertNames(ProfileResponseJson.Schema, json.RootElement);
    }

    [Fact]
    public async Task A_view_lists_its_profiles_newest_first_as_summaries_with_the_total()
    {
        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var (exit, printed, err) = await CliRunner.RunAsync("profile", "user_stats", "--format", "json", "--repo", served.Repo.Root);
            Assert.True(exit == 0, err);
            ids.Add(JsonDocument.Parse(printed).RootElement.GetProperty("id").GetString()!);
        }

        var (response, body) = await served.GetAsync("/api/v1/monitoring/profiles?view=user_stats&limit=2");
        var (_, all) = await served.GetAsync("/api/v1/monitoring/profiles?view=user_stats");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var listed = body.GetProperty("profiles").EnumerateArray().ToList();
        Assert.Equal(2, listed.Count);
        // Ids are version-7 GUIDs, ordered by creation time as the list is.
        Assert.Equal(ids.AsEnumerable().Reverse(), listed.Select(p => p.GetProperty("id").GetString()));
        Assert.Equal(all.GetProperty("profiles").GetArrayLength(), body.GetProperty("total").GetInt32());
        Assert.True(body.GetProperty("total").GetInt32() >= 2);
        AssertNames(ProfileResponseJson.ListSchema, body);
    }

    [Fact]
    public async Task An_unknown_id_is_404_not_found()
    {
        var (response, body) = await served.GetAsync("/api/v1/monitoring/profiles/0123456789abcdef0123456789abcdef");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", body.GetProperty("error").GetString());
        Assert.Contains("0123456789abcdef0123456789abcdef", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_view_is_404_and_a_missing_view_or_bad_limit_is_400()
    {
        var (unknown, unknownBody) = await served.GetAsync("/api/v1/monitoring/profiles?view=user_stat");
        var (missing, missingBody) = await served.GetAsync("/api/v1/monitoring/profiles");
        var (badLimit, badLimitBody) = await served.GetAsync("/api/v1/monitoring/profiles?view=user_stats&limit=0");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("not_found", unknownBody.GetProperty("error").GetString());
        Assert.Contains("Did you mean 'user_stats'?", unknownBody.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.StartsWith("view: missing", missingBody.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        Assert.StartsWith("limit: '0'", badLimitBody.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_is_405_with_the_allowed_method()
    {
        var (response, body) = await served.PostAsync("/api/v1/monitoring/profiles", "{}");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("GET", response.Content.Headers.Allow.Single());
        Assert.Equal("method_not_allowed", body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("/api/v1/monitoring/profiles", "200", "ProfileList")]
    [InlineData("/api/v1/monitoring/profiles", "400", "Error")]
    [InlineData("/api/v1/monitoring/profiles/{id}", "200", "ViewProfile")]
    [InlineData("/api/v1/monitoring/profiles/{id}", "404", "Error")]
    public async Task The_openapi_document_describes_both_endpoints_by_their_definitions(string path, string status, string definition)
    {
        var (response, document) = await served.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var schema = document.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("responses").GetProperty(status)
            .GetProperty("content").GetProperty("application/json").GetProperty("schema");
        var body = definition == "Error" ? ErrorResponseJson.Schema : definition == "ProfileList" ? ProfileResponseJson.ListSchema : ProfileResponseJson.Schema;
        AssertDescribes(body, schema);
    }

    // Every property the server wrote is a field of the definition, at every level the value has.
    private static void AssertNames(JsonBodySchema body, JsonElement value)
    {
        var fields = body.Fields.ToDictionary(f => f.Name);
        foreach (var property in value.EnumerateObject())
        {
            Assert.True(fields.TryGetValue(property.Name, out var field), $"{body.Name} has no field '{property.Name}'");
            if (field.Body is { } inner && property.Value.ValueKind == JsonValueKind.Object)
            {
                AssertNames(inner, property.Value);
            }
            else if (field.Body is { } items && property.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in property.Value.EnumerateArray())
                {
                    AssertNames(items, item);
                }
            }
        }

        foreach (var field in body.Fields.Where(f => f.Required))
        {
            Assert.True(value.TryGetProperty(field.Name, out _), $"{body.Name}.{field.Name} is required but not written");
        }
    }

    private static void AssertDescribes(JsonBodySchema body, JsonElement schema)
    {
        Assert.Equal("object", schema.GetProperty("type").GetString());
        var properties = schema.GetProperty("properties");
        Assert.Equal(body.Fields.Select(f => f.Name).Order(StringComparer.Ordinal), properties.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        foreach (var field in body.Fields)
        {
            var property = properties.GetProperty(field.Name);
            Assert.Equal(field.Description, property.GetProperty("description").GetString());
            if (field.Body is { } inner)
            {
                AssertDescribes(inner, field.Kind == JsonFieldKind.Object ? property : property.GetProperty("items"));
            }
        }
    }
}
