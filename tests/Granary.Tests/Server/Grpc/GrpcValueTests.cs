using Granary.Contracts.Grpc.V1;

namespace Granary.Tests.Server.Grpc;

/// <summary>Values over granary.v1.FeatureServing: int64 exact over its whole range, and the service's choice of features as in Feast.</summary>
public sealed class GrpcValueTests(GrpcServerFixture server) : IClassFixture<GrpcServerFixture>
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private FeatureServingClient Client => server.Client;

    [Fact]
    public async Task Int64_keys_and_values_keep_their_exact_value_at_the_ends_of_the_range()
    {
        var push = new PushRequest { PushSourceName = "user_stats_push" };
        Wire.UserRows(push.Columns, Noon, (long.MaxValue, long.MinValue, 1), (9_007_199_254_740_993, 9_007_199_254_740_993, 2), (long.MinValue, long.MaxValue, 3));
        await Client.PushAsync(push);

        var request = new GetOnlineFeaturesRequest { Features = { "user_stats:orders_7d" } };
        request.Entities["user_id"] = Wire.Column(Wire.Int64(long.MaxValue), Wire.Int64(9_007_199_254_740_993), Wire.Int64(9_007_199_254_740_992), Wire.Int64(long.MinValue));
        var response = await Client.GetOnlineFeaturesAsync(request);

        Assert.Equal([Wire.Int64(long.MinValue), Wire.Int64(9_007_199_254_740_993), Wire.Null(), Wire.Int64(long.MaxValue)], response.Results[1].Values);
        Assert.Equal(FieldStatus.NotFound, response.Results[1].Statuses[2]);
    }

    [Fact]
    public async Task With_features_and_a_feature_service_both_given_the_service_is_used_as_in_feast()
    {
        var request = new GetOnlineFeaturesRequest { Features = { "user_stats:spend_7d" }, FeatureService = "recommender" };
        request.Entities["user_id"] = Wire.Column(Wire.Int64(1));
        request.Entities["item_id"] = Wire.Column(Wire.String("A1"));

        var response = await Client.GetOnlineFeaturesAsync(request);

        // recommender is user_stats:orders_7d and item_info:price; item_info is offline only, so its price is not found.
        Assert.Equal(["user_id", "item_id", "orders_7d", "price"], response.FeatureNames);
        Assert.Equal(Wire.Int64(3), response.Results[2].Values[0]);
    }
}
