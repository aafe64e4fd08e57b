using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Contracts.Grpc.V1;
using Grpc.Core;

namespace Granary.Tests.Server.Grpc;

/// <summary>Bad input over gRPC: the matching status, the detail in its message, and nothing written by a rejected push.</summary>
public sealed class FeatureServingErrorTests(GrpcServerFixture server) : IClassFixture<GrpcServerFixture>
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private FeatureServingClient Client => server.Client;

    private static GetOnlineFeaturesRequest Request(string feature, params (string Key, RepeatedValue Values)[] entities)
    {
        var request = new GetOnlineFeaturesRequest { Features = { feature } };
        foreach (var (key, values) in entities)
        {
            request.Entities[key] = values;
        }

        return request;
    }

    private static async Task<RpcException> FailsWith<T>(StatusCode code, AsyncUnaryCall<T> call, string detail)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(code, error.StatusCode);
        Assert.Contains(detail, error.Status.Detail, StringComparison.Ordinal);
        return error;
    }

    [Theory]
    [InlineData("nope:orders_7d", "No feature view 'nope'")]
    [InlineData("user_stats:nope", "has no feature 'nope'")]
    public async Task An_unknown_view_or_feature_is_not_found(string feature, string detail)
    {
        var error = await FailsWith(StatusCode.NotFound, Client.GetOnlineFeaturesAsync(Request(feature, ("user_id", Wire.Column(Wire.Int64(1))))), detail);

        Assert.Equal(ErrorCodes.NotFound, error.Trailers.GetValue("granary-error-code"));
    }

    [Fact]
    public async Task An_unknown_feature_service_is_not_found()
    {
        var request = new GetOnlineFeaturesRequest { FeatureService = "nope" };
        request.Entities["user_id"] = Wire.Column(Wire.Int64(1));

        await FailsWith(StatusCode.NotFound, Client.GetOnlineFeaturesAsync(request), "No feature service 'nope'");
    }

    [Fact]
    public async Task Neither_features_nor_a_feature_service_is_invalid()
    {
        var neither = new GetOnlineFeaturesRequest();
        neither.Entities["user_id"] = Wire.Column(Wire.Int64(1));

        await FailsWith(StatusCode.InvalidArgument, Client.GetOnlineFeaturesAsync(neither), "either features");
        await FailsWith(StatusCode.InvalidArgument, Client.GetOnlineFeaturesAsync(Request("orders_7d", ("user_id", Wire.Column(Wire.Int64(1))))), "view:feature");
    }

    public static TheoryData<string, Value> WrongKeys => new()
    {
        { "bool", Wire.Bool(true) },
        { "text", Wire.String("one") },
        { "null", Wire.Null() },
        { "unset", new Value() },
        { "list", new Value { Int64ListVal = new Int64List { Val = { 1, 2 } } } },
        { "fraction", Wire.Double(1.5) },
        { "timestamp", Wire.Timestamp(Noon) },
    };

    [Theory]
    [MemberData(nameof(WrongKeys))]
    public async Task A_key_of_the_wrong_type_is_invalid(string name, Value key)
    {
        _ = name;
        await FailsWith(StatusCode.InvalidArgument, Client.GetOnlineFeaturesAsync(Request("user_stats:orders_7d", ("user_id", Wire.Column(Wire.Int64(1), key)))), "entities.user_id[1]");
    }

    [Fact]
    public async Task A_missing_join_key_unequal_lists_or_no_entities_are_invalid()
    {
        var missing = Request("user_stats:orders_7d", ("item_id", Wire.Column(Wire.String("A1"))));
        var unequal = Request("user_stats:orders_7d", ("user_id", Wire.Column(Wire.Int64(1), Wire.Int64(2))), ("item_id", Wire.Column(Wire.String("A1"))));
        var none = Request("user_stats:orders_7d");

        await FailsWith(StatusCode.InvalidArgument, Client.GetOnlineFeaturesAsync(missing), "missing join key 'user_id'");
        await FailsWith(StatusCode.InvalidArgument, Client.GetOnlineFeaturesAsync(unequal), "unequal length");
        await FailsWith(StatusCode.InvalidArgument, Client.GetOnlineFeaturesAsync(none), "entities");
    }

    [Fact]
    public async Task Pushing_to_an_unknown_source_is_not_found_and_to_a_batch_source_invalid()
    {
        var unknown = new PushRequest { PushSourceName = "nope" };
        Wire.UserRows(unknown.Columns, Noon, (300, 1, 1));
        var batch = new PushRequest { PushSourceName = "user_stats_source" };
        Wire.UserRows(batch.Columns, Noon, (300, 1, 1));

        await FailsWith(StatusCode.NotFound, Client.PushAsync(unknown), "No push source 'nope'");
        await FailsWith(StatusCode.InvalidArgument, Client.PushAsync(batch), "not a push source");
        await AssertNotWrittenAsync(300);
    }

    [Fact]
    public async Task A_push_with_one_bad_row_is_rejected_whole()
    {
        var push = new PushRequest { PushSourceName = "user_stats_push" };
        Wire.UserRows(push.Columns, Noon, (310, 1, 1), (311, 2, 2));
        push.Columns["orders_7d"].Val[1] = Wire.String("many");

        await FailsWith(StatusCode.InvalidArgument, Client.PushAsync(push), "df.orders_7d[1]");
        await AssertNotWrittenAsync(310, 311);
    }

    public static TheoryData<string, string, Value> BadCells => new()
    {
        { "wrong key type", "user_id", Wire.String("u-320") },
        { "null key", "user_id", Wire.Null() },
        { "list for a scalar", "spend_7d", new Value { DoubleListVal = new DoubleList { Val = { 1, 2 } } } },
        { "missing timestamp", "event_timestamp", Wire.Null() },
        { "timestamp out of range", "event_timestamp", new Value { UnixTimestampMicrosVal = long.MaxValue } },
        { "fraction for an integer", "orders_7d", Wire.Double(2.5) },
        { "NaN for a float", "spend_7d", Wire.Double(double.NaN) },
        { "infinity for a float", "spend_7d", Wire.Double(double.NegativeInfinity) },
        { "text for a float", "spend_7d", Wire.String("1,5") },
        { "boolean for a float", "spend_7d", Wire.Bool(true) },
        { "epoch milliseconds for a time", "event_timestamp", Wire.Int64(1_793_491_200_000) },
    };

    [Theory]
    [MemberData(nameof(BadCells))]
    public async Task A_push_row_that_violates_the_schema_is_invalid_and_writes_nothing(string name, string column, Value bad)
    {
        _ = name;
        var push = new PushRequest { PushSourceName = "user_stats_push", To = PushTarget.OnlineAndOffline };
        Wire.UserRows(push.Columns, Noon, (320, 1, 1), (321, 2, 2));
        push.Columns[column].Val[1] = bad;

        await FailsWith(StatusCode.InvalidArgument, Client.PushAsync(push), $"{column}[1]");
        await AssertNotWrittenAsync(320);
        Assert.False(Directory.Exists(Path.Combine(server.Repository.Root, "data", "user_stats.csv.pushed")) &&
            Directory.GetFiles(Path.Combine(server.Repository.Root, "data", "user_stats.csv.pushed"), "*.csv").Any(f => File.ReadAllText(f).Contains("320", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_push_with_unequal_lists_a_missing_column_or_an_unknown_target_is_invalid()
    {
        var unequal = new PushRequest { PushSourceName = "user_stats_push" };
        Wire.UserRows(unequal.Columns, Noon, (330, 1, 1), (331, 2, 2));
        unequal.Columns["spend_7d"].Val.RemoveAt(1);
        var missing = new PushRequest { PushSourceName = "user_stats_push" };
        Wire.UserRows(missing.Columns, Noon, (332, 1, 1));
        missing.Columns.Remove("orders_7d");
        var target = new PushRequest { PushSourceName = "user_stats_push", To = (PushTarget)7 };
        Wire.UserRows(target.Columns, Noon, (333, 1, 1));

        await FailsWith(StatusCode.InvalidArgument, Client.PushAsync(unequal), "unequal length");
        await FailsWith(StatusCode.InvalidArgument, Client.PushAsync(missing), "missing column 'orders_7d'");
        await FailsWith(StatusCode.InvalidArgument, Client.PushAsync(target), "to: 7");
        await AssertNotWrittenAsync(330, 331, 332, 333);
    }

    [Fact]
    public async Task Writing_to_an_unknown_view_is_not_found_and_a_bad_row_writes_nothing()
    {
        var unknown = new WriteToOnlineStoreRequest { FeatureViewName = "nope" };
        Wire.UserRows(unknown.Columns, Noon, (340, 1, 1));
        var bad = new WriteToOnlineStoreRequest { FeatureViewName = "user_stats" };
        Wire.UserRows(bad.Columns, Noon, (341, 1, 1), (342, 2, 2));
        bad.Columns["user_id"].Val[1] = Wire.Bool(false);

        await FailsWith(StatusCode.NotFound, Client.WriteToOnlineStoreAsync(unknown), "No feature view 'nope'");
        await FailsWith(StatusCode.InvalidArgument, Client.WriteToOnlineStoreAsync(bad), "df.user_id[1]");
        await AssertNotWrittenAsync(340, 341);
    }

    private async Task AssertNotWrittenAsync(params long[] users)
    {
        var request = new GetOnlineFeaturesRequest { Features = { "user_stats:orders_7d" } };
        var column = new RepeatedValue();
        foreach (var user in users)
        {
            column.Val.Add(Wire.Int64(user));
        }

        request.Entities["user_id"] = column;
        var response = await Client.GetOnlineFeaturesAsync(request);
        Assert.All(response.Results[1].Statuses, s => Assert.Equal(FieldStatus.NotFound, s));
    }
}
