using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Granary.Contracts.Grpc.V1;
using Granary.Server;
using Granary.Tests.Server;
using Granary.Tests.Server.Grpc;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Faults;

/// <summary>
/// A real <see cref="GranaryServer"/> over a fault test's repository, with an HTTP and a gRPC client, and the checks
/// the fault tests make of its answers: what it serves is exactly what was materialized, and a failure is a 503 or
/// UNAVAILABLE with a stable code, in bounded time.
/// </summary>
internal sealed class FaultServer : IAsyncDisposable
{
    /// <summary>
    /// How long an answer may take while a backend is gone: the tests' driver timeouts are 1-2 s, so an answer
    /// this late means a request waited on something without a timeout of its own.
    /// </summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private readonly GrpcChannel _channel;

    private FaultServer(GranaryServer server)
    {
        Server = server;
        Http = new HttpClient { BaseAddress = server.HttpUrl, Timeout = TimeSpan.FromSeconds(60) };
        _channel = GrpcChannel.ForAddress(server.GrpcUrl!);
        Grpc = new FeatureServingClient(_channel.CreateCallInvoker());
    }

    public GranaryServer Server { get; }

    public HttpClient Http { get; }

    public FeatureServingClient Grpc { get; }

    public static async Task<FaultServer> StartAsync(string repository) =>
        new(await ServedRepository.StartAsync(repository, new FakeTimeProvider(ServedRepository.Now)));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        _channel.Dispose();
        await Server.DisposeAsync();
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(new Uri(path, UriKind.Relative), content);
        return (response.StatusCode, await BodyAsync(response));
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await BodyAsync(response));
    }

    public Task<(HttpStatusCode Status, JsonElement Body)> OnlineAsync(IReadOnlyList<long> users) =>
        PostAsync("get-online-features", "{\"features\": [\"user_stats:orders\", \"user_stats:spend\"], \"entities\": {\"user_id\": [" + string.Join(", ", users) + "]}}");

    public Task<(HttpStatusCode Status, JsonElement Body)> MaterializeAsync(DateTimeOffset start, DateTimeOffset end) =>
        PostAsync("materialize", $"{{\"start_ts\": \"{start:O}\", \"end_ts\": \"{end:O}\", \"feature_views\": [\"user_stats\"]}}");

    public Task<GetOnlineFeaturesResponse> GrpcOnlineAsync(IReadOnlyList<long> users)
    {
        var request = new GetOnlineFeaturesRequest { Features = { "user_stats:orders", "user_stats:spend" } };
        request.Entities["user_id"] = Wire.Column([.. users.Select(Wire.Int64)]);
        return Grpc.GetOnlineFeaturesAsync(request).ResponseAsync;
    }

    /// <summary>Asserts that HTTP answers 503 with <paramref name="code"/> and a detail, within <see cref="Bound"/>.</summary>
    public static async Task AssertUnavailableAsync(string code, Func<Task<(HttpStatusCode Status, JsonElement Body)>> call)
    {
        var started = Stopwatch.GetTimestamp();
        var (status, body) = await call().WaitAsync(Bound);
        var elapsed = Stopwatch.GetElapsedTime(started);

        Assert.True(status == HttpStatusCode.ServiceUnavailable, $"Expected 503 {code}, got {(int)status}: {body}");
        Assert.Equal(code, body.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("detail").GetString()));
        Assert.True(elapsed < Bound, $"The 503 took {elapsed.TotalSeconds:F1} s.");
    }

    /// <summary>Asserts that gRPC answers UNAVAILABLE with <paramref name="code"/> in its trailers, within <see cref="Bound"/>.</summary>
    public async Task AssertGrpcUnavailableAsync(string code, IReadOnlyList<long> users)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => GrpcOnlineAsync(users).WaitAsync(Bound));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(code, error.Trailers.GetValue("granary-error-code"));
    }

    /// <summary>
    /// Waits (within <see cref="Bound"/>) for the server to answer 200 again, then asserts that HTTP and gRPC both serve
    /// exactly <paramref name="expected"/> for <paramref name="users"/>.
    /// </summary>
    public async Task AssertRecoversAsync(IReadOnlyList<long> users, IReadOnlyDictionary<long, FaultRow> expected)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(Bound.TotalSeconds * Stopwatch.Frequency);
        var (status, body) = await OnlineAsync(users);
        while (status != HttpStatusCode.OK && Stopwatch.GetTimestamp() < deadline)
        {
            // A driver reconnects on its own schedule; polling is how a client would find out.
            await Task.Delay(200);
            (status, body) = await OnlineAsync(users);
        }

        Assert.True(status == HttpStatusCode.OK, $"The server did not recover within {Bound.TotalSeconds} s: {(int)status} {body}");
        AssertServes(body, users, expected);
        AssertServes(await GrpcOnlineAsync(users).WaitAsync(Bound), users, expected);
    }

    /// <summary>Asserts an HTTP answer holds, for every user, exactly the expected row's values, all PRESENT.</summary>
    public static void AssertServes(JsonElement body, IReadOnlyList<long> users, IReadOnlyDictionary<long, FaultRow> expected)
    {
        var results = body.GetProperty("results");
        Assert.Equal(users, results[0].GetProperty("values").EnumerateArray().Select(v => v.GetInt64()));
        for (var i = 0; i < users.Count; i++)
        {
            var row = expected[users[i]];
            Assert.Equal("PRESENT", results[1].GetProperty("statuses")[i].GetString());
            Assert.Equal("PRESENT", results[2].GetProperty("statuses")[i].GetString());
            Assert.Equal(row.Orders, results[1].GetProperty("values")[i].GetInt64());
            Assert.Equal(row.Spend, results[2].GetProperty("values")[i].GetDouble());
        }
    }

    /// <summary>Asserts a gRPC answer holds, for every user, exactly the expected row's values, all PRESENT.</summary>
    public static void AssertServes(GetOnlineFeaturesResponse response, IReadOnlyList<long> users, IReadOnlyDictionary<long, FaultRow> expected)
    {
        Assert.Equal(users, response.Results[0].Values.Select(v => v.Int64Val));
        for (var i = 0; i < users.Count; i++)
        {
            var row = expected[users[i]];
            Assert.Equal(FieldStatus.Present, response.Results[1].Statuses[i]);
            Assert.Equal(FieldStatus.Present, response.Results[2].Statuses[i]);
            Assert.Equal(row.Orders, response.Results[1].Values[i].Int64Val);
            Assert.Equal(row.Spend, response.Results[2].Values[i].DoubleVal);
        }
    }

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
