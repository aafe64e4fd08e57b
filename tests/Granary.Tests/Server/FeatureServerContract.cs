using System.Net;
using System.Text.Json;

namespace Granary.Tests.Server;

/// <summary>
/// Every endpoint of the feature server over HTTP, against a real Kestrel server; one subclass per online store.
/// Entity ids are unique per test (1000s, 2000s, ...) so that tests sharing the server never see each other's pushes.
/// </summary>
public abstract class FeatureServerContract(ServedRepository served)
{
    protected ServedRepository Served { get; } = served;

    private static string Users(string features, params long[] ids) =>
        "{\"features\": [" + features + "], \"entities\": {\"user_id\": [" + string.Join(", ", ids) + "]}}";

    private static string PushBody(string to, params (long User, string Time, string Orders)[] rows) =>
        "{\"push_source_name\": \"user_stats_push\", \"to\": \"" + to + "\", \"df\": {"
        + "\"user_id\": [" + string.Join(", ", rows.Select(r => r.User)) + "], "
        + "\"event_timestamp\": [" + string.Join(", ", rows.Select(r => $"\"{r.Time}\"")) + "], "
        + "\"orders_7d\": [" + string.Join(", ", rows.Select(r => r.Orders)) + "], "
        + "\"spend_7d\": [" + string.Join(", ", rows.Select(_ => "1.5")) + "]}}";

    private async Task<JsonElement> LiveOrdersAsync(params long[] ids)
    {
        var (response, body) = await Served.PostAsync("/get-online-features", Users("\"live_stats:orders_7d\"", ids));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return body.GetProperty("results")[1];
    }

    private static List<string?> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? null : e.ToString()).ToList();

    [Fact]
    public async Task Get_online_features_answers_column_major_in_feasts_format()
    {
        var (response, body) = await Served.PostAsync("/get-online-features", Users("\"user_stats:orders_7d\", \"user_stats:spend_7d\"", 1, 2, 99));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["user_id", "orders_7d", "spend_7d"], Strings(body.GetProperty("metadata").GetProperty("feature_names")));
        var results = body.GetProperty("results");
        Assert.Equal(["1", "2", "99"], Strings(results[0].GetProperty("values")));
        // Materialized 2026-11-01 with ttl 2d, read at the server's 2026-11-10: withheld but dated; 99 was never written.
        Assert.Equal(["OUTSIDE_MAX_AGE", "OUTSIDE_MAX_AGE", "NOT_FOUND"], Strings(results[1].GetProperty("statuses")));
        Assert.Equal("2026-11-01T00:00:00Z", results[1].GetProperty("event_timestamps")[0].GetString());
        Assert.Equal(JsonValueKind.Null, results[1].GetProperty("values")[0].ValueKind);
        AssertWholeBody(response);
    }

    // Answers are written whole, with their length: no chunked framing.
    private static void AssertWholeBody(HttpResponseMessage response)
    {
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
        Assert.True(response.Content.Headers.ContentLength > 0, "The response has no Content-Length.");
    }

    [Fact]
    public async Task A_feature_service_with_full_feature_names_prefixes_each_view()
    {
        await Served.PostAsync("/push", PushBody("online", (1001, "2026-11-05T00:00:00Z", "4")));

        var (response, body) = await Served.PostAsync("/get-online-features", """{"feature_service": "live_model", "entities": {"user_id": [1001]}, "full_feature_names": true}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["user_id", "live_stats__orders_7d", "user_stats__spend_7d"], Strings(body.GetProperty("metadata").GetProperty("feature_names")));
        Assert.Equal(4, body.GetProperty("results")[1].GetProperty("values")[0].GetInt64());
        Assert.Equal("PRESENT", body.GetProperty("results")[1].GetProperty("statuses")[0].GetString());
    }

    [Fact]
    public async Task Pushed_rows_are_served_and_an_older_push_never_overwrites_a_newer_one()
    {
        var (first, result) = await Served.PostAsync("/push", PushBody("online", (2001, "2026-11-05T00:00:00Z", "11"), (2002, "2026-11-05T00:00:00Z", "2")));
        var (older, _) = await Served.PostAsync("/push", PushBody("online", (2001, "2026-11-04T00:00:00Z", "99")));
        var read = await LiveOrdersAsync(2001, 2002);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(2, result.GetProperty("rows").GetInt32());
        Assert.Equal(HttpStatusCode.OK, older.StatusCode);
        Assert.Equal(["11", "2"], Strings(read.GetProperty("values")));
    }

    [Fact]
    public async Task Write_to_online_store_writes_one_views_rows()
    {
        var (response, body) = await Served.PostAsync("/write-to-online-store", """
            {"feature_view_name": "live_stats", "df": {"user_id": [3001], "event_timestamp": ["2026-11-06T00:00:00Z"], "orders_7d": [8], "spend_7d": [null]}}
            """);
        var read = await LiveOrdersAsync(3001);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, body.GetProperty("online_written").GetInt32());
        Assert.Equal(["8"], Strings(read.GetProperty("values")));
    }

    [Fact]
    public async Task A_rejected_push_writes_nothing_online_or_offline()
    {
        var pushed = Path.Combine(Served.Repo.Root, "data", "user_stats.csv.pushed");
        var filesBefore = Directory.Exists(pushed) ? Directory.GetFiles(pushed).Length : 0;

        // The first row is fine, the second is not: the whole push is refused.
        var (response, body) = await Served.PostAsync("/push", PushBody("online_and_offline", (4001, "2026-11-05T00:00:00Z", "1"), (4002, "2026-11-05T00:00:00Z", "\"many\"")));
        var read = await LiveOrdersAsync(4001, 4002);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_argument", body.GetProperty("error").GetString());
        Assert.Contains("df.orders_7d[1]", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(["NOT_FOUND", "NOT_FOUND"], Strings(read.GetProperty("statuses")));
        Assert.Equal(filesBefore, Directory.Exists(pushed) ? Directory.GetFiles(pushed).Length : 0);
    }

    [Fact]
    public async Task Materialize_and_materialize_incremental_report_each_view()
    {
        var (response, body) = await Served.PostAsync("/materialize", """{"start_ts": "2026-01-01T00:00:00Z", "end_ts": "2026-11-04T00:00:00Z", "feature_views": ["user_stats"]}""");
        var (incremental, next) = await Served.PostAsync("/materialize-incremental", """{"end_ts": "2026-11-05T00:00:00Z", "feature_views": ["user_stats"]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = Assert.Single(body.GetProperty("feature_views").EnumerateArray());
        Assert.Equal(("user_stats", 2), (view.GetProperty("name").GetString(), view.GetProperty("rows").GetInt32()));
        Assert.Equal(HttpStatusCode.OK, incremental.StatusCode);
        Assert.Equal("2026-11-04T00:00:00.0000000Z", next.GetProperty("feature_views")[0].GetProperty("start_ts").GetString());
    }

    [Fact]
    public async Task Health_is_ok_when_registry_and_online_store_answer()
    {
        var (response, body) = await Served.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.True(body.GetProperty("registry_version").GetInt64() > 0);
    }

    [Theory]
    [InlineData("entities", "entities", "user")]
    [InlineData("feature-views", "feature_views", "user_stats")]
    [InlineData("feature-services", "feature_services", "recommender")]
    [InlineData("data-sources", "data_sources", "user_stats_push")]
    public async Task Registry_endpoints_list_and_describe_canonical_specs(string path, string property, string name)
    {
        var (list, listed) = await Served.GetAsync($"/{path}");
        var (describe, described) = await Served.GetAsync($"/{path}/{name}");
        var (missing, error) = await Served.GetAsync($"/{path}/no_such_thing");

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Contains(name, listed.GetProperty(property).EnumerateArray().Select(o => o.GetProperty("name").GetString()));
        Assert.Equal(HttpStatusCode.OK, describe.StatusCode);
        Assert.Equal(name, described.GetProperty("spec").GetProperty("name").GetString());
        Assert.Equal(64, described.GetProperty("meta").GetProperty("hash").GetString()!.Length);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("not_found", error.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Metrics_expose_granary_instruments_after_requests()
    {
        await Served.PostAsync("/get-online-features", Users("\"user_stats:orders_7d\"", 5001));
        await Served.PostAsync("/get-online-features", "{");

        // The meter adapter hands measurements to prometheus-net in batches, so the first scrape may trail the requests.
        var text = "";
        for (var attempt = 0; attempt < 100 && Sample(text, "granary_server_request_duration_seconds_count", "endpoint=\"get-online-features\"", "code=\"400\"") is null; attempt++)
        {
            await Task.Delay(attempt == 0 ? 0 : 100);
            text = await Served.Client.GetStringAsync(new Uri("metrics", UriKind.Relative));
        }

        // Requests by endpoint and status are the duration histogram's count; the rest are counters.
        Assert.True(Sample(text, "granary_server_request_duration_seconds_count", "endpoint=\"get-online-features\"", "code=\"200\"") >= 1, text);
        Assert.True(Sample(text, "granary_server_request_duration_seconds_count", "endpoint=\"get-online-features\"", "code=\"400\"") >= 1, text);
        Assert.True(Sample(text, "granary_server_errors_total", "endpoint=\"get-online-features\"", "error_type=\"invalid_json\"") >= 1, text);
        Assert.True(Sample(text, "granary_online_feature_statuses_total", "status=\"NOT_FOUND\"") >= 1, text);
        Assert.True(Sample(text, "granary_online_store_reads_total", "feature_view=\"user_stats\"") >= 1, text);
        Assert.True(Sample(text, "granary_online_store_read_duration_seconds_count") >= 1, text);
    }

    // The value of the first sample named name whose labels contain every fragment; null if none.
    private static double? Sample(string text, string name, params string[] fragments)
    {
        foreach (var line in text.Split('\n'))
        {
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.LastIndexOf(' ');
            if (line.StartsWith('#') || space < 0)
            {
                continue;
            }

            var sample = brace > 0 ? line[..brace] : line[..space];
            if (sample == name && fragments.All(f => line.Contains(f, StringComparison.Ordinal)))
            {
                return double.Parse(line[(space + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    [Fact]
    public async Task The_openapi_document_lists_every_path()
    {
        var (response, body) = await Served.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = body.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var path in new[] { "/get-online-features", "/push", "/write-to-online-store", "/materialize", "/materialize-incremental", "/health", "/entities", "/feature-views/{name}" })
        {
            Assert.Contains(path, paths);
        }

        // Bodies are described with Feast's field names, so clients can be generated from the document.
        var online = body.GetProperty("paths").GetProperty("/get-online-features").GetProperty("post");
        var request = Schema(body, online.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        Assert.Equal(["entities", "experiment", "feature_service", "features", "full_feature_names", "request_context", "unit_id"], request.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var answer = Schema(body, online.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        Assert.True(answer.GetProperty("properties").TryGetProperty("results", out _));
        var refusal = Schema(body, online.GetProperty("responses").GetProperty("404").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        Assert.Equal(["detail", "error"], refusal.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var push = body.GetProperty("paths").GetProperty("/push").GetProperty("post");
        var pushBody = Schema(body, push.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        Assert.True(pushBody.GetProperty("properties").TryGetProperty("push_source_name", out _));
    }

    // A schema, following a $ref into components.
    private static JsonElement Schema(JsonElement document, JsonElement schema)
    {
        if (!schema.TryGetProperty("$ref", out var reference))
        {
            return schema;
        }

        var name = reference.GetString()!.Split('/')[^1];
        return document.GetProperty("components").GetProperty("schemas").GetProperty(name);
    }

    [Theory]
    [InlineData("/get-online-features", "{\"features\": [", 400, "invalid_json")]
    [InlineData("/get-online-features", "hello", 400, "invalid_json")]
    [InlineData("/get-online-features", "", 400, "invalid_json")]
    [InlineData("/get-online-features", "{\"features\": [\"user_stats:orders_7d\"], \"entities\": {\"user_id\": [1]}} trailing", 400, "invalid_json")]
    [InlineData("/get-online-features", "{\"features\": [\"nope:orders_7d\"], \"entities\": {\"user_id\": [1]}}", 404, "not_found")]
    [InlineData("/get-online-features", "{\"features\": [\"user_stats:orders_30d\"], \"entities\": {\"user_id\": [1]}}", 404, "not_found")]
    [InlineData("/get-online-features", "{\"feature_service\": \"nope\", \"entities\": {\"user_id\": [1]}}", 404, "not_found")]
    [InlineData("/get-online-features", "{\"features\": [\"user_stats:orders_7d\"], \"entities\": {\"user_id\": [\"abc\"]}}", 400, "invalid_argument")]
    [InlineData("/get-online-features", "{\"features\": [\"user_stats:orders_7d\"], \"entities\": {\"user_id\": [true]}}", 400, "invalid_argument")]
    [InlineData("/get-online-features", "{\"features\": [\"user_stats:orders_7d\"], \"entities\": {\"item_id\": [\"A1\"]}}", 400, "invalid_argument")]
    [InlineData("/get-online-features", "{\"features\": [\"user_stats:orders_7d\"], \"entities\": {\"user_id\": [1, 2], \"item_id\": [\"A1\"]}}", 400, "invalid_argument")]
    [InlineData("/get-online-features", "{\"features\": [\"user_stats:orders_7d\"]}", 400, "invalid_argument")]
    [InlineData("/get-online-features", "{\"features\": [\"nope:orders_7d\"], \"entities\": {\"user_id\": [1], \"item_id\": [\"A1\", \"B2\"]}}", 400, "invalid_argument")]
    [InlineData("/get-online-features", "{\"features\": [\"user_stats:orders_7d\"], \"entities\": [1]}", 400, "invalid_argument")]
    [InlineData("/get-online-features", "{\"features\": \"user_stats:orders_7d\", \"entities\": {\"user_id\": [1]}}", 400, "invalid_argument")]
    [InlineData("/get-online-features", "{\"entities\": {\"user_id\": [1]}}", 400, "invalid_argument")]
    [InlineData("/push", "{\"push_source_name\": \"nope\", \"df\": {\"user_id\": [1]}}", 404, "not_found")]
    [InlineData("/push", "{\"push_source_name\": \"user_stats_push\", \"to\": \"sideways\", \"df\": {\"user_id\": [1]}}", 400, "invalid_argument")]
    [InlineData("/push", "{\"push_source_name\": \"user_stats_push\", \"df\": {\"user_id\": [1, 2], \"event_timestamp\": [\"2026-11-05T00:00:00Z\"]}}", 400, "invalid_argument")]
    [InlineData("/push", "{\"push_source_name\": \"user_stats_push\", \"df\": {\"user_id\": [1], \"event_timestamp\": [\"2026-11-05T00:00:00Z\"]}}", 400, "invalid_argument")]
    [InlineData("/push", "{\"df\": {\"user_id\": [1]}}", 400, "invalid_argument")]
    [InlineData("/write-to-online-store", "{\"feature_view_name\": \"nope\", \"df\": {\"user_id\": [1]}}", 404, "not_found")]
    [InlineData("/materialize", "{\"start_ts\": \"yesterday\", \"end_ts\": \"2026-11-04T00:00:00Z\"}", 400, "invalid_argument")]
    [InlineData("/materialize", "{\"start_ts\": \"2026-01-01\", \"end_ts\": \"2026-11-04\", \"feature_views\": [\"nope\"]}", 404, "not_found")]
    [InlineData("/materialize", "{\"start_ts\": ", 400, "invalid_json")]
    [InlineData("/materialize-incremental", "{\"end_ts\": \"2026-11-04\", \"feature_views\": [\"item_info\"]}", 400, "invalid_argument")]
    public async Task Bad_input_gets_a_4xx_with_a_stable_code_and_a_detail(string path, string body, int status, string code)
    {
        var (response, error) = await Served.PostAsync(path, body);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(JsonValueKind.Object, error.ValueKind);
        Assert.Equal(code, error.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("detail").GetString()));
        AssertWholeBody(response);
    }

    [Fact]
    public async Task A_body_over_the_limit_gets_413_and_the_server_keeps_serving()
    {
        var ids = string.Join(", ", Enumerable.Range(0, (int)ServedRepository.MaxBody / 4));
        var (response, error) = await Served.PostAsync("/get-online-features", "{\"features\": [\"user_stats:orders_7d\"], \"entities\": {\"user_id\": [" + ids + "]}}");
        var (health, _) = await Served.GetAsync("/health");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("payload_too_large", error.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}

/// <summary>The contract over the embedded online store.</summary>
public sealed class EmbeddedFeatureServerTests(EmbeddedServedRepository served) : FeatureServerContract(served), IClassFixture<EmbeddedServedRepository>;

/// <summary>The contract over a real Redis.</summary>
public sealed class RedisFeatureServerTests(RedisServedRepository served) : FeatureServerContract(served), IClassFixture<RedisServedRepository>;
