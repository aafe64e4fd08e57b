using System.Net;
using System.Text.Json;

namespace Granary.Tests.Server.Http.Augment;

/// <summary>
/// The seed's two calls on the server, over each online store: the shapes it gives, latest values pushed moments
/// before, nulls for what is missing, 404 naming what is unknown and 400 naming the field of a malformed body.
/// </summary>
public abstract class AugmentEndpointContract(ServedRepository served)
{
    private const string LiveSpecs = """[{"namespace": "live_stats", "features": ["orders_7d", "spend_7d"]}]""";

    private async Task PushAsync(params (long User, long Orders, double Spend)[] rows)
    {
        var body = "{\"push_source_name\": \"user_stats_push\", \"to\": \"online\", \"df\": {"
            + "\"user_id\": [" + string.Join(", ", rows.Select(r => r.User)) + "], "
            + "\"event_timestamp\": [" + string.Join(", ", rows.Select(_ => "\"2026-11-05T00:00:00Z\"")) + "], "
            + "\"orders_7d\": [" + string.Join(", ", rows.Select(r => r.Orders)) + "], "
            + "\"spend_7d\": [" + string.Join(", ", rows.Select(r => r.Spend.ToString("0.0##", System.Globalization.CultureInfo.InvariantCulture))) + "]}}";
        var (response, answer) = await served.PostAsync("/push", body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, answer.ToString());
    }

    [Fact]
    public async Task Batch_answers_each_entity_by_its_canonical_key_with_namespace_feature_values()
    {
        await PushAsync((9101, 5, 1.25), (9102, 7, 2.5));

        var (response, body) = await served.PostAsync("/api/v1/augment/batch",
            $$"""{"entity_spine": [{"user_id": "9101", "label": 1}, {"user_id": 9102}, {"user_id": 9199}], "feature_specs": {{LiveSpecs}}}""");

        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal(["9101", "9102", "9199"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(5, body.GetProperty("9101").GetProperty("live_stats:orders_7d").GetInt64());
        Assert.Equal(1.25, body.GetProperty("9101").GetProperty("live_stats:spend_7d").GetDouble());
        Assert.Equal(7, body.GetProperty("9102").GetProperty("live_stats:orders_7d").GetInt64());
        Assert.Equal(2.5, body.GetProperty("9102").GetProperty("live_stats:spend_7d").GetDouble());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("9199").GetProperty("live_stats:orders_7d").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("9199").GetProperty("live_stats:spend_7d").ValueKind);
    }

    [Fact]
    public async Task Online_answers_one_entity_as_a_flat_namespace_feature_map()
    {
        await PushAsync((9201, 11, 4.5));

        var (response, body) = await served.PostAsync("/api/v1/augment/online",
            $$"""{"entity_keys": {"user_id": "9201"}, "feature_specs": [{"namespace": "live_stats", "features": ["spend_7d"]}, {"namespace": "user_stats", "features": ["orders_7d"]}]}""");

        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal(["live_stats:spend_7d", "user_stats:orders_7d"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(4.5, body.GetProperty("live_stats:spend_7d").GetDouble());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("user_stats:orders_7d").ValueKind);
    }

    [Theory]
    [InlineData("/api/v1/augment/batch", """{"entity_spine": [{"user_id": 1}], "feature_specs": [{"namespace": "live_statz", "features": ["orders_7d"]}, {"namespace": "live_stats", "features": ["orders_7x"]}]}""")]
    [InlineData("/api/v1/augment/online", """{"entity_keys": {"user_id": 1}, "feature_specs": [{"namespace": "live_statz", "features": ["orders_7d"]}, {"namespace": "live_stats", "features": ["orders_7x"]}]}""")]
    public async Task Unknown_namespaces_and_features_are_404_naming_each(string path, string json)
    {
        var (response, body) = await served.PostAsync(path, json);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", body.GetProperty("error").GetString());
        var detail = body.GetProperty("detail").GetString()!;
        Assert.Contains("namespace 'live_statz'", detail, StringComparison.Ordinal);
        Assert.Contains("did you mean 'live_stats'", detail, StringComparison.Ordinal);
        Assert.Contains("feature 'live_stats:orders_7x'", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/augment/batch", """{"feature_specs": [{"namespace": "live_stats", "features": ["orders_7d"]}]}""", "entity_spine: missing")]
    [InlineData("/api/v1/augment/batch", """{"entity_spine": [5], "feature_specs": [{"namespace": "live_stats", "features": ["orders_7d"]}]}""", "entity_spine[0]:")]
    [InlineData("/api/v1/augment/batch", """{"entity_spine": [{"user_id": 1}, {"item_id": "A1"}], "feature_specs": [{"namespace": "live_stats", "features": ["orders_7d"]}]}""", "entity_spine[1]: no value for 'user_id'")]
    [InlineData("/api/v1/augment/batch", """{"entity_spine": [{"user_id": 1}]}""", "feature_specs: missing")]
    [InlineData("/api/v1/augment/batch", """{"entity_spine": [{"user_id": 1}], "feature_specs": [{"features": ["orders_7d"]}]}""", "feature_specs[0].namespace: missing")]
    [InlineData("/api/v1/augment/batch", """{"entity_spine": [{"user_id": 1}], "feature_specs": [{"namespace": "live_stats", "features": [3]}]}""", "feature_specs[0].features[0]:")]
    [InlineData("/api/v1/augment/online", """{"entity_keys": [1], "feature_specs": [{"namespace": "live_stats", "features": ["orders_7d"]}]}""", "entity_keys:")]
    [InlineData("/api/v1/augment/online", """{"entity_keys": {"user_id": "abc"}, "feature_specs": [{"namespace": "live_stats", "features": ["orders_7d"]}]}""", "entity_keys.user_id: 'abc'")]
    public async Task Malformed_bodies_are_400_naming_the_field(string path, string json, string expected)
    {
        var (response, body) = await served.PostAsync(path, json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_argument", body.GetProperty("error").GetString());
        Assert.Contains(expected, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Both_calls_are_in_the_openapi_document_with_their_request_bodies()
    {
        var (_, document) = await served.GetAsync("/openapi/v1.json");
        var paths = document.GetProperty("paths");

        var batch = paths.GetProperty("/api/v1/augment/batch").GetProperty("post");
        var online = paths.GetProperty("/api/v1/augment/online").GetProperty("post");

        var batchBody = batch.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal(["entity_spine", "feature_specs"], batchBody.GetProperty("required").EnumerateArray().Select(r => r.GetString()).Order());
        var onlineBody = online.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal(["entity_keys", "feature_specs"], onlineBody.GetProperty("required").EnumerateArray().Select(r => r.GetString()).Order());
        Assert.Equal("object", batch.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("type").GetString());
        Assert.True(online.GetProperty("responses").TryGetProperty("404", out _));
    }
}

public sealed class EmbeddedAugmentEndpointTests(EmbeddedServedRepository served) : AugmentEndpointContract(served), IClassFixture<EmbeddedServedRepository>;

public sealed class RedisAugmentEndpointTests(RedisServedRepository served) : AugmentEndpointContract(served), IClassFixture<RedisServedRepository>;
