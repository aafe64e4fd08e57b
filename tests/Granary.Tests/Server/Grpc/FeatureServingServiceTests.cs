using Granary.OnlineServing;
using Granary.Contracts.Grpc.V1;
using Granary.Core.Time;
using Grpc.Core;
using CoreStatus = Granary.OnlineServing.FeatureStatus;

namespace Granary.Tests.Server.Grpc;

/// <summary>granary.v1.FeatureServing end to end: a real Kestrel server, a Grpc.Net.Client channel, the sample repository.</summary>
public sealed class FeatureServingServiceTests(GrpcServerFixture server) : IClassFixture<GrpcServerFixture>
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private FeatureServingClient Client => server.Client;

    private static GetOnlineFeaturesRequest Users(params long[] ids)
    {
        var request = new GetOnlineFeaturesRequest { Features = { "user_stats:orders_7d", "user_stats:spend_7d" } };
        var column = new RepeatedValue();
        foreach (var id in ids)
        {
            column.Val.Add(Wire.Int64(id));
        }

        request.Entities["user_id"] = column;
        return request;
    }

    [Fact]
    public async Task Online_features_match_what_the_feature_store_returns_for_the_same_request()
    {
        var response = await Client.GetOnlineFeaturesAsync(Users(1, 2, 3, 4));
        var expected = await server.Store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Features = ["user_stats:orders_7d", "user_stats:spend_7d"],
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = new object?[] { 1L, 2L, 3L, 4L } },
        });

        Assert.Equal(expected.FeatureNames, response.FeatureNames);
        Assert.Equal(expected.Results.Count, response.Results.Count);
        for (var c = 0; c < expected.Results.Count; c++)
        {
            var want = expected.Results[c];
            var got = response.Results[c];
            Assert.Equal(want.EventTimestamps.ToArray(), got.EventTimestamps);
            Assert.Equal(want.Statuses.ToArray().Select(Name), got.Statuses.Select(s => s.ToString()));
            Assert.Equal(want.Values.ToArray().Select(v => v.IsNull ? null : v.ToObject() is DateTimeOffset d ? UtcMicros.From(d) : v.ToObject()), got.Values.Select(Plain));
        }

        // And the values themselves, independent of the conversion code.
        Assert.Equal(["user_id", "orders_7d", "spend_7d"], response.FeatureNames);
        var orders = response.Results[1];
        var spend = response.Results[2];
        Assert.Equal([Wire.Int64(1), Wire.Int64(2), Wire.Int64(3), Wire.Int64(4)], response.Results[0].Values);
        Assert.Equal([Wire.Int64(3), Wire.Null(), Wire.Null(), Wire.Int64(5)], orders.Values);
        Assert.Equal([FieldStatus.Present, FieldStatus.OutsideMaxAge, FieldStatus.NotFound, FieldStatus.Present], orders.Statuses);
        Assert.Equal(Wire.Double(120.5), spend.Values[0]);
        Assert.Equal(FieldStatus.NullValue, spend.Statuses[3]);
        Assert.Equal(UtcMicros.From(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)), orders.EventTimestamps[0]);
        Assert.Equal(0, orders.EventTimestamps[2]);
    }

    [Fact]
    public async Task A_feature_service_with_full_feature_names_names_columns_view__feature()
    {
        var request = new GetOnlineFeaturesRequest { FeatureService = "recommender", FullFeatureNames = true };
        request.Entities["user_id"] = Wire.Column(Wire.Int64(1));
        request.Entities["item_id"] = Wire.Column(Wire.String("A1"));

        var response = await Client.GetOnlineFeaturesAsync(request);

        Assert.Equal(["user_id", "item_id", "user_stats__orders_7d", "item_info__price"], response.FeatureNames);
        Assert.Equal(Wire.Int64(3), response.Results[2].Values[0]);
        Assert.Equal(FieldStatus.NotFound, response.Results[3].Statuses[0]);   // item_info is offline only
    }

    [Fact]
    public async Task Pushed_rows_are_read_back_online()
    {
        var push = new PushRequest { PushSourceName = "user_stats_push" };
        Wire.UserRows(push.Columns, Noon, (100, 9, 1.5), (101, 10, 2.5));

        var result = await Client.PushAsync(push);
        var read = await Client.GetOnlineFeaturesAsync(Users(100, 101));

        Assert.Equal((2, 2, false), (result.Rows, result.OnlineWritten, result.Offline));
        Assert.Equal(["user_stats"], result.Views);
        Assert.Equal([Wire.Int64(9), Wire.Int64(10)], read.Results[1].Values);
        Assert.Equal([Wire.Double(1.5), Wire.Double(2.5)], read.Results[2].Values);
        Assert.All(read.Results[1].Statuses, s => Assert.Equal(FieldStatus.Present, s));
        Assert.Equal(UtcMicros.From(Noon), read.Results[1].EventTimestamps[0]);
    }

    [Fact]
    public async Task A_push_online_and_offline_is_logged_beside_the_batch_source_with_its_timestamps()
    {
        var push = new PushRequest { PushSourceName = "user_stats_push", To = PushTarget.OnlineAndOffline };
        Wire.UserRows(push.Columns, Noon, (110, 4, 8.25));
        push.Columns["created"] = Wire.Column(Wire.Timestamp(Noon.AddMinutes(5)));

        var result = await Client.PushAsync(push);

        Assert.Equal((1, 1, true), (result.Rows, result.OnlineWritten, result.Offline));
        var logged = Assert.Single(Directory.GetFiles(Path.Combine(server.Repository.Root, "data", "user_stats.csv.pushed"), "*.csv"));
        var text = await File.ReadAllTextAsync(logged);
        Assert.Contains("110", text, StringComparison.Ordinal);
        Assert.Contains("2026-11-01 12:00:00", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_to_online_store_writes_one_views_rows()
    {
        var write = new WriteToOnlineStoreRequest { FeatureViewName = "user_stats" };
        Wire.UserRows(write.Columns, Noon, (200, 1, 0.5));

        var result = await Client.WriteToOnlineStoreAsync(write);
        var read = await Client.GetOnlineFeaturesAsync(Users(200));

        Assert.Equal(1, result.Written);
        Assert.Equal(Wire.Int64(1), read.Results[1].Values[0]);
        Assert.Equal(Wire.Double(0.5), read.Results[2].Values[0]);
    }

    [Fact]
    public async Task Health_reports_the_project_and_registry_version()
    {
        var health = await Client.HealthAsync();

        Assert.Equal("shop", health.Project);
        Assert.True(health.RegistryVersion >= 1);
    }

    private static string Name(CoreStatus status) => status switch
    {
        CoreStatus.Present => nameof(FieldStatus.Present),
        CoreStatus.NotFound => nameof(FieldStatus.NotFound),
        CoreStatus.NullValue => nameof(FieldStatus.NullValue),
        _ => nameof(FieldStatus.OutsideMaxAge),
    };

    private static object? Plain(Value value) => value.ValCase switch
    {
        Value.ValOneofCase.Int64Val => value.Int64Val,
        Value.ValOneofCase.DoubleVal => value.DoubleVal,
        Value.ValOneofCase.StringVal => value.StringVal,
        Value.ValOneofCase.UnixTimestampMicrosVal => value.UnixTimestampMicrosVal,
        Value.ValOneofCase.NullVal => null,
        var other => throw new InvalidOperationException($"unexpected {other}"),
    };
}
