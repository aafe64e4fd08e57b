using System.Diagnostics;
using System.Text;
using Granary.Core.Diagnostics;
using Granary.Server.Diagnostics;
using Granary.Tests.Infrastructure;
using Granary.Tests.Server;
using Granary.Tests.Server.Grpc;
using Grpc.Core;

namespace Granary.Tests.Diagnostics;

/// <summary>
/// The server's own spans: one per served operation, over HTTP (a real <c>GranaryServer</c>) and gRPC, the child of
/// ASP.NET Core's request span and the parent of the stores' spans, failed with the code the client got.
/// </summary>
[Collection(ActivityListenerCollection.Name)]
public sealed class ServerSpanTests(EmbeddedServedRepository served, GrpcServerFixture grpc) : IClassFixture<EmbeddedServedRepository>, IClassFixture<GrpcServerFixture>
{
    private const string AspNetCoreSource = "Microsoft.AspNetCore";
    private const string RequestSpan = "Microsoft.AspNetCore.Hosting.HttpRequestIn";

    [Fact]
    public async Task An_online_lookup_is_a_span_beneath_the_request_span_with_what_it_served()
    {
        using var spans = new CapturedActivities(AspNetCoreSource, GranaryTelemetry.ServerActivitySourceName, GranaryTelemetry.OnlineActivitySourceName);

        var status = await PostAsync(spans, "/get-online-features", """{"features": ["user_stats:orders_7d", "user_stats:spend_7d"], "entities": {"user_id": [1, 2, 3]}}""");

        Assert.Equal(200, status);
        var span = await StoppedAsync(spans, "granary.server.get_online_features");
        var request = await StoppedAsync(spans, RequestSpan);
        Assert.Equal(request.SpanId, span.ParentSpanId);
        Assert.Equal(spans.Root.SpanId, request.ParentSpanId);
        Assert.Equal("get-online-features", span.GetTagItem("granary.server.operation"));
        Assert.Equal(3, span.GetTagItem("granary.entities"));
        Assert.Equal(2, span.GetTagItem("granary.features"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        var read = await StoppedAsync(spans, "granary.online_store.read");
        Assert.Equal(span.SpanId, read.ParentSpanId);
    }

    [Fact]
    public async Task A_refused_request_marks_its_span_failed_with_the_code_the_client_got()
    {
        using var spans = new CapturedActivities(AspNetCoreSource, GranaryTelemetry.ServerActivitySourceName);

        var status = await PostAsync(spans, "/get-online-features", """{"features": ["nope:orders_7d"], "entities": {"user_id": [1]}}""");

        Assert.Equal(404, status);
        var span = await StoppedAsync(spans, "granary.server.get_online_features");
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("not_found", span.GetTagItem("error.type"));
        Assert.Contains(span.Events, e => e.Name == "exception");
    }

    [Fact]
    public async Task Push_materialize_and_registry_reads_are_spans_named_after_their_operation()
    {
        using var spans = new CapturedActivities(AspNetCoreSource, GranaryTelemetry.ServerActivitySourceName);

        Assert.Equal(200, await PostAsync(spans, "/push", """
            {"push_source_name": "user_stats_push", "to": "online", "df": {"user_id": [7001, 7002], "event_timestamp": ["2026-11-05T00:00:00Z", "2026-11-05T00:00:00Z"], "orders_7d": [1, 2], "spend_7d": [1.5, 2.5]}}
            """));
        Assert.Equal(200, await PostAsync(spans, "/materialize", """{"start_ts": "2026-10-01T00:00:00Z", "end_ts": "2026-11-04T00:00:00Z", "feature_views": ["user_stats"]}"""));
        Assert.Equal(200, await GetAsync(spans, "/feature-views"));
        Assert.Equal(200, await GetAsync(spans, "/health"));

        var push = await StoppedAsync(spans, "granary.server.push");
        Assert.Equal(2L, push.GetTagItem("granary.rows"));
        var materialize = await StoppedAsync(spans, "granary.server.materialize");
        Assert.Equal(1, materialize.GetTagItem("granary.feature_views"));
        Assert.True(materialize.GetTagItem("granary.rows") is long rows && rows > 0, "The materialize span carries the rows read.");
        var list = await StoppedAsync(spans, "granary.server.list_feature_views");
        Assert.True(list.GetTagItem("granary.registry.version") is long version && version > 0, "A registry read carries the version it answered from.");
        var health = await StoppedAsync(spans, "granary.server.health");
        Assert.Equal(list.GetTagItem("granary.registry.version"), health.GetTagItem("granary.registry.version"));
    }

    [Fact]
    public async Task A_grpc_call_is_a_span_of_the_same_operation_with_its_rpc_and_a_failed_call_has_the_code()
    {
        using var spans = new CapturedActivities(AspNetCoreSource, GranaryTelemetry.ServerActivitySourceName);
        var headers = new Metadata { { "traceparent", TraceParent(spans) } };
        var request = new Granary.Contracts.Grpc.V1.GetOnlineFeaturesRequest { Features = { "user_stats:orders_7d" } };
        request.Entities["user_id"] = new Granary.Contracts.Grpc.V1.RepeatedValue { Val = { Wire.Int64(1), Wire.Int64(4) } };

        await grpc.Client.GetOnlineFeaturesAsync(request, headers);
        var failed = new Granary.Contracts.Grpc.V1.GetOnlineFeaturesRequest { Features = { "nope:orders_7d" } };
        failed.Entities["user_id"] = new Granary.Contracts.Grpc.V1.RepeatedValue { Val = { Wire.Int64(1) } };
        await Assert.ThrowsAsync<RpcException>(() => grpc.Client.GetOnlineFeaturesAsync(failed, headers).ResponseAsync);

        var calls = await StoppedAsync(spans, "granary.server.get_online_features", count: 2);
        var served = Assert.Single(calls, c => c.Status == ActivityStatusCode.Unset);
        Assert.Equal("grpc", served.GetTagItem("rpc.system"));
        Assert.Equal("granary.v1.FeatureServing", served.GetTagItem("rpc.service"));
        Assert.Equal("GetOnlineFeatures", served.GetTagItem("rpc.method"));
        Assert.Equal(2, served.GetTagItem("granary.entities"));
        Assert.Equal(1, served.GetTagItem("granary.features"));
        Assert.Equal(RequestSpan, Parent(spans, served).OperationName);
        var refused = Assert.Single(calls, c => c.Status == ActivityStatusCode.Error);
        Assert.Equal("not_found", refused.GetTagItem("error.type"));
    }

    [Fact]
    public void Nobody_listening_starts_no_span_and_allocates_nothing()
    {
        Assert.False(ServerTelemetry.Source.HasListeners());
        var error = new InvalidOperationException("refused");
        Assert.Null(Request(error));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            Request(error);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_listened_to_request_the_sampler_drops_allocates_nothing()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GranaryTelemetry.ServerActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.None,
        };
        ActivitySource.AddActivityListener(listener);
        var error = new InvalidOperationException("refused");
        Assert.Null(Request(error));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            Request(error);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    // What a request does with its span: start it, tag what it served, fail it, over both protocols.
    private static Activity? Request(Exception error)
    {
        using var http = ServerTelemetry.StartHttp("get-online-features");
        ServerTelemetry.Lookup(3, 2);
        ServerTelemetry.Pushed(2);
        ServerTelemetry.Failed(http, "not_found", error);
        using var grpc = ServerTelemetry.StartGrpc("/granary.v1.FeatureServing/Push");
        ServerTelemetry.Failed(grpc, "not_found", error);
        return http ?? grpc;
    }

    // The root's context travels as W3C traceparent, so the server's spans join the test's trace.
    private static string TraceParent(CapturedActivities spans) => $"00-{spans.Root.TraceId}-{spans.Root.SpanId}-01";

    private async Task<int> PostAsync(CapturedActivities spans, string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        return await SendAsync(spans, request);
    }

    private async Task<int> GetAsync(CapturedActivities spans, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        return await SendAsync(spans, request);
    }

    private async Task<int> SendAsync(CapturedActivities spans, HttpRequestMessage request)
    {
        request.Headers.Remove("traceparent");
        request.Headers.TryAddWithoutValidation("traceparent", TraceParent(spans));
        using var response = await served.Client.SendAsync(request);
        return (int)response.StatusCode;
    }

    private static Activity Parent(CapturedActivities spans, Activity span) =>
        Assert.Single(spans.Stopped, a => a.SpanId == span.ParentSpanId);

    private static async Task<Activity> StoppedAsync(CapturedActivities spans, string name) => (await StoppedAsync(spans, name, count: 1))[0];

    // A request's spans stop as the server finishes it, which may be just after the client has read the answer.
    private static async Task<Activity[]> StoppedAsync(CapturedActivities spans, string name, int count)
    {
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 10;
        while (true)
        {
            var found = spans.Stopped.Where(a => a.OperationName == name).ToArray();
            if (found.Length >= count || Stopwatch.GetTimestamp() > deadline)
            {
                Assert.True(found.Length == count, $"Expected {count} '{name}' span(s), found {found.Length}: {string.Join(", ", spans.Stopped.Select(a => a.OperationName))}");
                return found;
            }

            await Task.Delay(20);
        }
    }
}
