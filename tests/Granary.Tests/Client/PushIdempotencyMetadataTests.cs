using Granary.Contracts.Grpc.V1;
using Granary.Tests.Server;
using Grpc.Core;
using Grpc.Net.Client;

namespace Granary.Tests.Client;

/// <summary>Granary's gRPC Push honours the metadata idempotency-key as the HTTP API honours its header.</summary>
public sealed class PushIdempotencyMetadataTests(EmbeddedServedRepository served) : IClassFixture<EmbeddedServedRepository>
{
    private static PushRequest Orders(long user, long orders)
    {
        var request = new PushRequest { PushSourceName = "user_stats_push" };
        request.Columns.Add("user_id", Column(new Value { Int64Val = user }));
        request.Columns.Add("event_timestamp", Column(new Value { StringVal = "2026-11-03T00:00:00Z" }));
        request.Columns.Add("orders_7d", Column(new Value { Int64Val = orders }));
        request.Columns.Add("spend_7d", Column(new Value { DoubleVal = 1.5 }));
        return request;
    }

    private static RepeatedValue Column(Value value)
    {
        var column = new RepeatedValue();
        column.Val.Add(value);
        return column;
    }

    [Fact]
    public async Task A_repeated_key_gets_the_first_answer_without_applying_again_and_another_body_is_refused()
    {
        using var channel = GrpcChannel.ForAddress(served.Server.GrpcUrl!);
        var client = new FeatureServing.FeatureServingClient(channel);
        var key = new Metadata { { "idempotency-key", Guid.NewGuid().ToString() } };

        var first = await client.PushAsync(Orders(7001, 1), key);
        await client.PushAsync(Orders(7001, 2));
        var repeat = await client.PushAsync(Orders(7001, 1), key);
        var conflict = await Assert.ThrowsAsync<RpcException>(async () => await client.PushAsync(Orders(7001, 3), key));

        var (_, raw) = await served.PostAsync("/get-online-features", """{"features": ["live_stats:orders_7d"], "entities": {"user_id": [7001]}}""");
        Assert.Equal(first, repeat);
        Assert.Equal(StatusCode.FailedPrecondition, conflict.StatusCode);
        Assert.Equal(2, raw.GetProperty("results")[1].GetProperty("values")[0].GetInt64());
    }
}
