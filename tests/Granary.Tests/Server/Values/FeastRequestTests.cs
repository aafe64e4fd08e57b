using System.Net;
using System.Text.Json;

namespace Granary.Tests.Server.Values;

/// <summary>
/// Requests Feast's server reads in a way Granary once read differently, over the real server: the feature service
/// wins over features given beside it, and entity columns that are no entity's join key are dropped from the answer.
/// </summary>
public sealed class FeastRequestTests(EmbeddedTypedServedRepository served) : IClassFixture<EmbeddedTypedServedRepository>
{
    private static List<string?> Names(JsonElement body) =>
        body.GetProperty("metadata").GetProperty("feature_names").EnumerateArray().Select(e => e.GetString()).ToList();

    [Fact]
    public async Task With_features_and_a_feature_service_both_given_the_service_is_used()
    {
        var (response, body) = await served.PostAsync("/get-online-features", """
            {"features": ["typed:label"], "feature_service": "live_model", "entities": {"user_id": [1]}}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["user_id", "orders_7d", "spend_7d"], Names(body));
    }

    [Fact]
    public async Task Entity_columns_that_are_no_join_key_are_dropped_and_other_join_keys_are_echoed_as_given()
    {
        var (response, body) = await served.PostAsync("/get-online-features", """
            {"features": ["user_stats:orders_7d"], "entities": {"request_id": ["r-1", "r-2"], "user_id": [1, 2], "account_id": [5, 6], "item_id": ["A1", "B2"]}}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["user_id", "account_id", "item_id", "orders_7d"], Names(body));
        var results = body.GetProperty("results");
        Assert.Equal(["1", "2"], results[0].GetProperty("values").EnumerateArray().Select(v => v.GetRawText()));
        Assert.Equal(["5", "6"], results[1].GetProperty("values").EnumerateArray().Select(v => v.GetRawText()));
        Assert.Equal(["\"A1\"", "\"B2\""], results[2].GetProperty("values").EnumerateArray().Select(v => v.GetRawText()));
        // Materialized with a 2d ttl and read with the real clock: withheld, but read for both users.
        Assert.Equal(["OUTSIDE_MAX_AGE", "OUTSIDE_MAX_AGE"], results[3].GetProperty("statuses").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task A_dropped_column_still_needs_a_value_per_entity()
    {
        var (response, body) = await served.PostAsync("/get-online-features", """
            {"features": ["user_stats:orders_7d"], "entities": {"user_id": [1, 2], "request_id": ["r-1"]}}
            """);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("unequal length", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_feature_may_share_its_name_with_a_dropped_column()
    {
        var (response, body) = await served.PostAsync("/get-online-features", """
            {"features": ["user_stats:orders_7d"], "entities": {"user_id": [1], "orders_7d": [9]}}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["user_id", "orders_7d"], Names(body));
        Assert.Equal("OUTSIDE_MAX_AGE", body.GetProperty("results")[1].GetProperty("statuses")[0].GetString());
    }
}
