using Granary.Client;
using Granary.Contracts.Errors;
using Granary.Core.Model;
using Granary.Core.Values;
using ClientRequest = Granary.Client.OnlineFeaturesRequest;
using ServerRequest = Granary.OnlineServing.OnlineFeaturesRequest;

namespace Granary.Tests.Client;

/// <summary>
/// Granary.Client over gRPC against a real server, beside the HTTP transport: the same request gives the same values,
/// statuses and event times on both, equal to the feature store's own answer; failures carry the server's code.
/// </summary>
public sealed class GrpcTransportTests(GrpcClientServerFixture server) : IClassFixture<GrpcClientServerFixture>
{
    [Fact]
    public async Task The_same_read_over_http_and_grpc_gives_the_stores_own_values_statuses_and_event_times()
    {
        using var http = Client(GranaryTransport.Http);
        using var grpc = Client(GranaryTransport.Grpc);
        var overHttp = await http.GetOnlineFeaturesAsync(Request());
        var overGrpc = await grpc.GetOnlineFeaturesAsync(Request());
        var own = await server.Store.GetOnlineFeaturesAsync(new ServerRequest
        {
            Features = GrpcClientServerFixture.Features,
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [.. GrpcClientServerFixture.Users.Select(u => (object?)u)] },
            FullFeatureNames = true,
        });

        Assert.Equal(GrpcClientServerFixture.Features, overHttp.Features);
        Assert.Equal(GrpcClientServerFixture.Features, overGrpc.Features);
        var present = 0;
        foreach (var feature in GrpcClientServerFixture.Features)
        {
            var column = own[feature.Replace(":", "__", StringComparison.Ordinal)];
            for (var e = 0; e < GrpcClientServerFixture.Users.Length; e++)
            {
                var where = $"{feature} of user {GrpcClientServerFixture.Users[e]}";
                var status = column.Statuses[e].ToString();
                Assert.True(status == overHttp.GetStatus(e, feature).ToString(), $"{where}: HTTP status {overHttp.GetStatus(e, feature)}, the store's {status}");
                Assert.True(status == overGrpc.GetStatus(e, feature).ToString(), $"{where}: gRPC status {overGrpc.GetStatus(e, feature)}, the store's {status}");

                var expected = column.Statuses[e] == Granary.OnlineServing.FeatureStatus.Present ? AsClientReads(column.Values[e]) : null;
                Assert.True(Equivalent(expected, overHttp.GetValue(e, feature)), $"{where}: HTTP gave {Show(overHttp.GetValue(e, feature))}, the store {Show(expected)}");
                Assert.True(Equivalent(expected, overGrpc.GetValue(e, feature)), $"{where}: gRPC gave {Show(overGrpc.GetValue(e, feature))}, the store {Show(expected)}");

                DateTimeOffset? time = column.EventTimestamps[e] == 0 ? null : DateTimeOffset.UnixEpoch.AddTicks(column.EventTimestamps[e] * 10);
                Assert.True(time == overHttp.GetEventTimestamp(e, feature), $"{where}: HTTP event time {overHttp.GetEventTimestamp(e, feature):O}, the store's {time:O}");
                Assert.True(time == overGrpc.GetEventTimestamp(e, feature), $"{where}: gRPC event time {overGrpc.GetEventTimestamp(e, feature):O}, the store's {time:O}");
                present += expected is null ? 0 : 1;
            }
        }

        // Users 1 and 2 have every value; 3 has nulls, 99 nothing: the comparison above covered real values.
        Assert.Equal(2 * GrpcClientServerFixture.Features.Length, present);
        Assert.Equal(FeatureStatus.NullValue, overGrpc.GetStatus(2, "profile:age"));
        Assert.Equal(FeatureStatus.NotFound, overGrpc.GetStatus(3, "profile:age"));
    }

    [Fact]
    public async Task Typed_accessors_read_grpc_values_as_they_read_http_ones()
    {
        using var grpc = Client(GranaryTransport.Grpc);
        var features = await grpc.GetOnlineFeaturesAsync(Request());

        Assert.Equal(31L, features.GetInt64(0, "profile:age"));
        Assert.Equal(long.MinValue, features.GetInt64(1, "profile:visits"));
        Assert.Equal((double)0.1f, features.GetDouble(0, "profile:score"));
        Assert.Equal(120.5, features.GetDouble(0, "account:balance"));
        Assert.Equal("Ann ✓", features.GetString(0, "profile:name"));
        Assert.False(features.GetBoolean(1, "profile:active"));

        // Whole seconds toward the past, as the JSON answer writes a unix_timestamp (Feast's encoding).
        Assert.Equal(new DateTimeOffset(2026, 10, 31, 12, 34, 56, TimeSpan.Zero).ToUnixTimeSeconds(), features.GetInt64(0, "profile:last_seen"));
        Assert.Equal(-1L, features.GetInt64(1, "profile:last_seen"));
        Assert.Equal(new object?[] { 1L, 9_007_199_254_740_993L }, (object?[])features.GetValue(0, "profile:recent")!);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1_234_560), features.GetEventTimestamp(0, "profile:age"));
        Assert.Null(features.GetDouble(2, "profile:score"));
    }

    [Fact]
    public async Task A_feature_service_reads_the_same_features_over_both_transports()
    {
        using var http = Client(GranaryTransport.Http);
        using var grpc = Client(GranaryTransport.Grpc);
        var request = () => ClientRequest.ForFeatureService("profile_model").WithEntityColumn("user_id", GrpcClientServerFixture.Users);

        var overHttp = await http.GetOnlineFeaturesAsync(request());
        var overGrpc = await grpc.GetOnlineFeaturesAsync(request());

        Assert.Equal(overHttp.Features, overGrpc.Features);
        Assert.Equal(["account:balance", "profile:name", "profile:visits"], overGrpc.Features.Order(StringComparer.Ordinal));
        foreach (var feature in overGrpc.Features)
        {
            for (var e = 0; e < GrpcClientServerFixture.Users.Length; e++)
            {
                Assert.Equal(overHttp.GetValue(e, feature), overGrpc.GetValue(e, feature));
                Assert.Equal(overHttp.GetStatus(e, feature), overGrpc.GetStatus(e, feature));
                Assert.Equal(overHttp.GetEventTimestamp(e, feature), overGrpc.GetEventTimestamp(e, feature));
            }
        }
    }

    [Fact]
    public async Task Not_found_and_invalid_argument_carry_the_servers_code_and_are_never_retried()
    {
        var counter = new GrpcCallCounter();
        using var grpc = Client(GranaryTransport.Grpc, counter, retries: 3);
        using var http = Client(GranaryTransport.Http);

        var unknownView = () => ClientRequest.ForFeatures("nope:age").WithEntityColumn("user_id", [1L]);
        var notFound = await Assert.ThrowsAsync<GranaryClientException>(() => grpc.GetOnlineFeaturesAsync(unknownView()));
        Assert.Equal(ErrorCodes.NotFound, notFound.Code);
        Assert.False(notFound.IsTransient);
        Assert.Contains("nope", notFound.Message, StringComparison.Ordinal);
        Assert.Equal(1, counter.GrpcCalls);

        // A join key that is not an int64: the server's INVALID_ARGUMENT, named as over HTTP.
        var badKey = () => ClientRequest.ForFeatures("profile:age").WithEntityColumn("user_id", ["not a number"]);
        var invalid = await Assert.ThrowsAsync<GranaryClientException>(() => grpc.GetOnlineFeaturesAsync(badKey()));
        Assert.Equal(ErrorCodes.InvalidArgument, invalid.Code);
        Assert.False(invalid.IsTransient);
        Assert.Null(invalid.HttpStatus);
        Assert.Equal(2, counter.GrpcCalls);

        // The same failures over HTTP have the same codes: one table decides both wires.
        Assert.Equal(notFound.Code, (await Assert.ThrowsAsync<GranaryClientException>(() => http.GetOnlineFeaturesAsync(unknownView()))).Code);
        Assert.Equal(invalid.Code, (await Assert.ThrowsAsync<GranaryClientException>(() => http.GetOnlineFeaturesAsync(badKey()))).Code);
    }

    [Fact]
    public async Task Pushes_and_writes_over_grpc_carry_the_api_key_and_idempotency_key_and_are_read_back_over_http()
    {
        var counter = new GrpcCallCounter();
        using var grpc = Client(GranaryTransport.Grpc, counter, apiKey: "s3cret");
        using var http = Client(GranaryTransport.Http);
        var seen = new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

        var pushed = await grpc.PushAsync(new PushRequest("profile_push") { IdempotencyKey = "push-200" }
            .AddRow(("user_id", 200L), ("event_timestamp", seen), ("age", 40), ("visits", 5L), ("score", 1.5f), ("balance", 9.25), ("name", "Bo"),
                ("active", true), ("last_seen", seen), ("tags", new[] { "x" }), ("recent", new[] { 3L }), ("embedding", new[] { 0.25f })));
        var written = await grpc.WriteToOnlineStoreAsync(new WriteToOnlineStoreRequest("account")
            .WithColumn("user_id", [201L]).WithColumn("event_timestamp", [seen]).WithColumn("balance", [-2.5]));

        Assert.Equal(1, pushed.Rows);
        Assert.Equal(["account", "profile"], pushed.FeatureViews.Order(StringComparer.Ordinal));
        Assert.Equal(1, written.Rows);
        Assert.Equal(1, written.OnlineWritten);
        var back = await http.GetOnlineFeaturesAsync(ClientRequest.ForFeatures(GrpcClientServerFixture.Features).WithEntityColumn("user_id", [200L, 201L]));
        Assert.Equal(40L, back.GetInt64(0, "profile:age"));
        Assert.Equal("Bo", back.GetString(0, "profile:name"));
        Assert.Equal(new object?[] { 0.25 }, (object?[])back.GetValue(0, "profile:embedding")!);
        Assert.Equal(seen.ToUnixTimeSeconds(), back.GetInt64(0, "profile:last_seen"));
        Assert.Equal(-2.5, back.GetDouble(1, "account:balance"));

        var calls = counter.Sent.Where(c => c.Path.StartsWith("/granary.v1.", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["/granary.v1.FeatureServing/Push", "/granary.v1.FeatureServing/WriteToOnlineStore"], calls.Select(c => c.Path));
        Assert.All(calls, c => Assert.Equal("Bearer s3cret", c.Headers["authorization"]));
        Assert.Equal("push-200", calls[0].Headers["idempotency-key"]);
        Assert.False(calls[1].Headers.ContainsKey("idempotency-key"));
    }

    [Fact]
    public async Task Health_over_grpc_names_the_project_and_registry_version()
    {
        using var grpc = Client(GranaryTransport.Grpc);
        var health = await grpc.CheckHealthAsync();

        Assert.Equal("clients", health.Project);
        Assert.Equal((await server.Store.GetRegistryAsync()).Version, health.RegistryVersion);
    }

    [Fact]
    public async Task A_value_the_server_cannot_take_is_refused_before_anything_is_sent()
    {
        var counter = new GrpcCallCounter();
        using var grpc = Client(GranaryTransport.Grpc, counter);

        var refused = await Assert.ThrowsAsync<GranaryClientException>(() =>
            grpc.GetOnlineFeaturesAsync(ClientRequest.ForFeatures("profile:age").WithEntityColumn("user_id", [Guid.Empty])));

        Assert.Equal(ErrorCodes.InvalidArgument, refused.Code);
        Assert.Contains("entities.user_id[0]", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, counter.GrpcCalls);
    }

    private GranaryClient Client(GranaryTransport transport, HttpMessageHandler? handler = null, int retries = 0, string? apiKey = null) => new(new GranaryClientOptions
    {
        BaseAddress = server.Server.HttpUrl,
        GrpcAddress = server.Server.GrpcUrl,
        Transport = transport,
        RetryCount = retries,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        HttpMessageHandler = handler,
        ApiKey = apiKey,
    });

    private static ClientRequest Request() =>
        ClientRequest.ForFeatures(GrpcClientServerFixture.Features).WithEntityColumn("user_id", GrpcClientServerFixture.Users);

    /// <summary>
    /// What the client gives for a stored value, written out from the documented encoding (docs/client.md): integers
    /// as long, floats as double, unix_timestamp as whole seconds toward the past, bytes as base64, lists as object?[].
    /// </summary>
    private static object? AsClientReads(FeatureValue value)
    {
        if (value.IsNull)
        {
            return null;
        }

        if (value.Type.IsList)
        {
            var items = value.AsList();
            var list = new object?[items.Length];
            for (var i = 0; i < list.Length; i++)
            {
                list[i] = Scalar(value.Type.Kind, items.GetValue(i)!);
            }

            return list;
        }

        return value.Type.Kind switch
        {
            ScalarKind.Int32 => (long)value.AsInt32(),
            ScalarKind.Int64 => value.AsInt64(),
            ScalarKind.Float32 => (double)value.AsFloat32(),
            ScalarKind.Float64 => value.AsFloat64(),
            ScalarKind.Bool => value.AsBool(),
            ScalarKind.Bytes => Convert.ToBase64String(value.AsBytes()),
            ScalarKind.UnixTimestamp => (long)Math.Floor(value.AsTimestampMicros() / 1e6),
            _ => value.AsString(),
        };
    }

    private static object Scalar(ScalarKind kind, object item) => kind switch
    {
        ScalarKind.Int32 => (long)(int)item,
        ScalarKind.Float32 => (double)(float)item,
        ScalarKind.Bytes => Convert.ToBase64String((byte[])item),
        ScalarKind.UnixTimestamp => (long)Math.Floor((long)item / 1e6),
        _ => item,
    };

    private static bool Equivalent(object? expected, object? actual) => (expected, actual) switch
    {
        (object?[] e, object?[] a) => e.Length == a.Length && e.Zip(a).All(p => Equals(p.First, p.Second)),
        _ => Equals(expected, actual),
    };

    private static string Show(object? value) => value switch
    {
        null => "null",
        object?[] list => "[" + string.Join(", ", list.Select(Show)) + "]",
        _ => $"{value} ({value.GetType().Name})",
    };
}
