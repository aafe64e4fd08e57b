using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Granary.Tests.Server.Values;

/// <summary>
/// Values over the real server, per online store: integers exact over the whole int64 range, Feast's encodings of
/// floats and unix timestamps, and the values no write path may store (each a 400 naming its field and index, with
/// nothing of the request written). Account ids are unique per test.
/// </summary>
public abstract class ValueFidelityContract(TypedServedRepository served)
{
    private const string AllTyped = "\"typed:small\", \"typed:big\", \"typed:ratio\", \"typed:score\", \"typed:seen_at\", \"typed:label\"";

    protected TypedServedRepository Served { get; } = served;

    // One row for the typed view; each argument is the raw JSON of its column's value.
    private static string TypedRow(string account, string small = "1", string big = "1", string ratio = "0.5", string score = "0.5", string seenAt = "0", string label = "\"x\"", string time = "\"2026-11-05T00:00:00Z\"") =>
        $$$"""{"feature_view_name": "typed", "df": {"account_id": [{{{account}}}], "event_timestamp": [{{{time}}}], "small": [{{{small}}}], "big": [{{{big}}}], "ratio": [{{{ratio}}}], "score": [{{{score}}}], "seen_at": [{{{seenAt}}}], "label": [{{{label}}}]}}""";

    private async Task<JsonElement> ReadTypedAsync(params string[] accounts)
    {
        var (response, body) = await Served.PostAsync("/get-online-features", $$$"""{"features": [{{{AllTyped}}}], "entities": {"account_id": [{{{string.Join(", ", accounts)}}}]}}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return body.GetProperty("results");
    }

    private async Task WriteTypedAsync(string body)
    {
        var (response, answer) = await Served.PostAsync("/write-to-online-store", body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, answer.ToString());
    }

    private static string Raw(JsonElement results, int column, int row) => results[column].GetProperty("values")[row].GetRawText();

    private static string Status(JsonElement results, int column, int row) => results[column].GetProperty("statuses")[row].GetString()!;

    [Fact]
    public async Task Keys_above_two_to_the_53_that_differ_by_one_read_their_own_rows()
    {
        await WriteTypedAsync(TypedRow("9007199254740993", big: "3"));
        await WriteTypedAsync(TypedRow("9007199254740992", big: "2"));

        var results = await ReadTypedAsync("9007199254740992", "9007199254740993", "9007199254740994");

        Assert.Equal(["9007199254740992", "9007199254740993", "9007199254740994"], results[0].GetProperty("values").EnumerateArray().Select(v => v.GetRawText()));
        Assert.Equal(("2", "3"), (Raw(results, 2, 0), Raw(results, 2, 1)));
        Assert.Equal("NOT_FOUND", Status(results, 2, 2));
    }

    [Theory]
    [InlineData("9223372036854775807", "9223372036854775807", "2147483647")]
    [InlineData("-9223372036854775808", "-9223372036854775808", "-2147483648")]
    [InlineData("-9223372036854775807", "9223372036854775806", "0")]
    [InlineData("9007199254740993", "9007199254740993", "7")]
    public async Task Integers_at_the_ends_of_the_int64_range_are_stored_and_served_exactly(string account, string big, string small)
    {
        await WriteTypedAsync(TypedRow(account, big: big, small: small));

        var results = await ReadTypedAsync(account);

        Assert.Equal((account, small, big), (Raw(results, 0, 0), Raw(results, 1, 0), Raw(results, 2, 0)));
    }

    [Fact]
    public async Task Whole_numbers_written_with_a_fraction_or_exponent_keep_their_exact_value()
    {
        await WriteTypedAsync(TypedRow("7501", small: "3.0", big: "9007199254740993.0"));
        await WriteTypedAsync(TypedRow("7502", small: "1e3", big: "-9.223372036854775808e18"));

        var results = await ReadTypedAsync("7501", "7502");

        Assert.Equal(("3", "9007199254740993"), (Raw(results, 1, 0), Raw(results, 2, 0)));
        Assert.Equal(("1000", "-9223372036854775808"), (Raw(results, 1, 1), Raw(results, 2, 1)));
    }

    [Fact]
    public async Task Pushed_int64_values_keep_their_exact_value()
    {
        var (push, answer) = await Served.PostAsync("/push", """
            {"push_source_name": "user_stats_push", "df": {"user_id": [9007199254740993, 9223372036854775807], "event_timestamp": ["2026-11-05T00:00:00Z", "2026-11-05T00:00:00Z"], "orders_7d": [9007199254740993, -9223372036854775808], "spend_7d": [1, 2]}}
            """);
        var (read, body) = await Served.PostAsync("/get-online-features", """{"features": ["live_stats:orders_7d"], "entities": {"user_id": [9007199254740993, 9223372036854775807, 9007199254740992]}}""");

        Assert.True(push.StatusCode == HttpStatusCode.OK, answer.ToString());
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var orders = body.GetProperty("results")[1];
        Assert.Equal(["9007199254740993", "-9223372036854775808", "null"], orders.GetProperty("values").EnumerateArray().Select(v => v.GetRawText()));
    }

    [Fact]
    public async Task Float_features_are_written_as_json_floats_even_when_whole()
    {
        await WriteTypedAsync(TypedRow("7001", ratio: "2", score: "3"));
        await WriteTypedAsync(TypedRow("7002", ratio: "-0.25", score: "1e300"));

        var results = await ReadTypedAsync("7001", "7002");

        Assert.Equal(("2.0", "3.0"), (Raw(results, 3, 0), Raw(results, 4, 0)));
        Assert.Equal(-0.25, results[3].GetProperty("values")[1].GetDouble());
        Assert.Equal(1e300, results[4].GetProperty("values")[1].GetDouble());
        Assert.Equal("7001", Raw(results, 0, 0));
    }

    [Fact]
    public async Task Unix_timestamp_features_are_read_and_served_as_integer_epoch_seconds()
    {
        // 2026-11-01T00:00:00Z is 1793491200 s; the ISO form's fraction is dropped in Feast's JSON.
        await WriteTypedAsync(TypedRow("7101", seenAt: "1793491200"));
        await WriteTypedAsync(TypedRow("7102", seenAt: "\"2026-11-01T00:00:00.750Z\""));
        await WriteTypedAsync(TypedRow("7103", seenAt: "-62135596800"));

        var results = await ReadTypedAsync("7101", "7102", "7103");

        Assert.Equal(["1793491200", "1793491200", "-62135596800"], results[5].GetProperty("values").EnumerateArray().Select(v => v.GetRawText()));
        // Event times stay ISO-8601 UTC.
        Assert.Equal("2026-11-05T00:00:00Z", results[5].GetProperty("event_timestamps")[0].GetString());
    }

    public static TheoryData<string, string> Refused => new()
    {
        // Milliseconds and microseconds read as seconds are past the year 9999.
        { TypedRow("7201", seenAt: "1793491200000"), "df.seen_at[0]" },
        { TypedRow("7202", seenAt: "-62135596801"), "df.seen_at[0]" },
        { TypedRow("7203", time: "253402300800"), "df.event_timestamp[0]" },
        { TypedRow("7204", time: "1793491200000000"), "df.event_timestamp[0]" },
        { TypedRow("7205", score: "\"NaN\""), "df.score[0]" },
        { TypedRow("7206", score: "\"Infinity\""), "df.score[0]" },
        { TypedRow("7207", ratio: "\"-Infinity\""), "df.ratio[0]" },
        { TypedRow("7208", ratio: "1e39"), "df.ratio[0]" },
        { TypedRow("7209", score: "\"1,5\""), "df.score[0]" },
        { TypedRow("7210", score: "true"), "df.score[0]" },
        { TypedRow("7211", big: "\"1,5\""), "df.big[0]" },
        { TypedRow("7220", big: "\"42\""), "df.big[0]" },
        { TypedRow("7212", small: "false"), "df.small[0]" },
        { TypedRow("7213", big: "9223372036854775808"), "df.big[0]" },
        { TypedRow("7214", big: "9007199254740993.5"), "df.big[0]" },
        { TypedRow("7219", big: "1.5"), "df.big[0]" },
        { TypedRow("7215", small: "2147483648"), "df.small[0]" },
        { TypedRow("7216", label: "\"a\\ud800\""), "df.label[0]" },
        { TypedRow("7217", label: "\"\\udc00b\""), "df.label[0]" },
        { TypedRow("7218", seenAt: "true"), "df.seen_at[0]" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_value_no_store_may_hold_is_a_400_naming_its_field_and_nothing_is_written(string body, string field)
    {
        var account = body[(body.IndexOf("\"account_id\": [", StringComparison.Ordinal) + 15)..].Split(']')[0];

        var (response, error) = await Served.PostAsync("/write-to-online-store", body);
        var results = await ReadTypedAsync(account);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_argument", error.GetProperty("error").GetString());
        Assert.Contains(field, error.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("NOT_FOUND", Status(results, 1, 0));
    }

    [Fact]
    public async Task A_push_with_one_bad_value_among_good_rows_writes_nothing_online_or_offline()
    {
        var pushed = Path.Combine(Served.Repo.Root, "data", "user_stats.csv.pushed");
        var filesBefore = Directory.Exists(pushed) ? Directory.GetFiles(pushed).Length : 0;

        var (response, error) = await Served.PostAsync("/push", """
            {"push_source_name": "user_stats_push", "to": "online_and_offline", "df": {"user_id": [7301, 7302], "event_timestamp": ["2026-11-05T00:00:00Z", "2026-11-05T00:00:00Z"], "orders_7d": [1, 2], "spend_7d": [1.5, "NaN"]}}
            """);
        var (offline, offlineError) = await Served.PostAsync("/push", """
            {"push_source_name": "user_stats_push", "to": "offline", "df": {"user_id": [7303], "event_timestamp": ["2026-11-05T00:00:00Z"], "orders_7d": [1], "spend_7d": ["1,5"]}}
            """);
        var (_, read) = await Served.PostAsync("/get-online-features", """{"features": ["live_stats:orders_7d"], "entities": {"user_id": [7301, 7302]}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("df.spend_7d[1]", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, offline.StatusCode);
        Assert.Contains("df.spend_7d[0]", offlineError.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(["NOT_FOUND", "NOT_FOUND"], read.GetProperty("results")[1].GetProperty("statuses").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(filesBefore, Directory.Exists(pushed) ? Directory.GetFiles(pushed).Length : 0);
    }

    public static TheoryData<string, string, string> BadUnicode => new()
    {
        { "/get-online-features", """{"features": ["typed:big", "typed:\ud800"], "entities": {"account_id": [1]}}""", "features[1]" },
        { "/get-online-features", """{"features": ["typed:big"], "entities": {"account_id": [1], "\udfff": [1]}}""", "entities" },
        { "/get-online-features", """{"feature_service": "\ud800", "entities": {"account_id": [1]}}""", "feature_service" },
        { "/write-to-online-store", """{"feature_view_name": "typed\ud800", "df": {"account_id": [1]}}""", "feature_view_name" },
        { "/push", """{"push_source_name": "user_stats_push", "df": {"user_id": [1], "\ud800": [1]}}""", "df" },
        { "/materialize", """{"start_ts": "2026-01-01T00:00:00Z", "end_ts": "2026-11-04T00:00:00Z", "feature_views": ["user_stats", "\ud800"]}""", "feature_views[1]" },
    };

    [Theory]
    [MemberData(nameof(BadUnicode))]
    public async Task A_lone_surrogate_in_any_string_or_name_is_a_400_naming_its_field(string path, string body, string field)
    {
        var (response, error) = await Served.PostAsync(path, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, error.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/get-online-features", "{\"features\": [\"typed:big\"], \"entities\": {\"account_id\": [1], \"x\xFF\": [1]}}", "entities")]
    [InlineData("/get-online-features", "{\"features\": [\"typed:\xC3\"], \"entities\": {\"account_id\": [1]}}", "features[0]")]
    [InlineData("/write-to-online-store", "{\"feature_view_name\": \"typed\", \"df\": {\"account_id\": [7401], \"label\": [\"\xED\xA0\x80\"]}}", "df.label[0]")]
    [InlineData("/materialize", "{\"start_ts\": \"2026-01-01T00:00:00Z\", \"end_ts\": \"2026-11-04T00:00:00Z\", \"feature_views\": [\"\xFE\"]}", "feature_views")]
    public async Task Invalid_utf8_in_any_string_or_name_is_a_400_naming_its_field(string path, string latin1Body, string field)
    {
        // Each char of the body stands for one byte, so the bytes can be invalid UTF-8.
        using var content = new ByteArrayContent(Encoding.Latin1.GetBytes(latin1Body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await Served.Client.PostAsync(new Uri(path.TrimStart('/'), UriKind.Relative), content);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, error.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/materialize", """{"start_ts": "2026-01-01T00:00:00Z", "end_ts": "2026-11-04T00:00:00Z", "feature_views": ["user_stats", null]}""", "feature_views[1]")]
    [InlineData("/materialize-incremental", """{"end_ts": "2026-11-04T00:00:00Z", "feature_views": [null]}""", "feature_views[0]")]
    [InlineData("/get-online-features", """{"features": ["typed:big", null], "entities": {"account_id": [1]}}""", "features[1]")]
    public async Task Null_inside_a_list_of_names_is_a_400_naming_its_index(string path, string body, string field)
    {
        var (response, error) = await Served.PostAsync(path, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_argument", error.GetProperty("error").GetString());
        Assert.Contains(field, error.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}

public sealed class EmbeddedValueFidelityTests(EmbeddedTypedServedRepository served) : ValueFidelityContract(served), IClassFixture<EmbeddedTypedServedRepository>;

public sealed class RedisValueFidelityTests(RedisTypedServedRepository served) : ValueFidelityContract(served), IClassFixture<RedisTypedServedRepository>;
