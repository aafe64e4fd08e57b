using System.Buffers;
using System.Net.Http.Headers;
using BenchmarkDotNet.Attributes;
using Granary.Benchmarks.OnlineServing;
using Granary.Client;
using Granary.Contracts.Grpc.V1;
using Granary.Server;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using ClientRequest = Granary.Client.OnlineFeaturesRequest;

namespace Granary.Benchmarks.Client;

/// <summary>
/// One <c>get-online-features</c> round trip of 1 entity x 10 features against a real <see cref="GranaryServer"/>
/// (Kestrel on loopback, embedded store) in this process: the baseline is a raw <see cref="HttpClient"/> POST of the
/// very bytes the client sends (written by the client's own writer, so the server does the same work), with the
/// client's handler settings and the same 10 s timeout, reading the whole answer; beside it Granary.Client over HTTP
/// (body written, answer parsed into typed columns) and over gRPC, a raw gRPC call through the generated stub, and the
/// raw POST without a timeout (what the timeout itself costs). The server's work is in every case, so the ratio is
/// what the client adds to a real call. Users are drawn from a seeded sequence so the store's lookups are not one hot
/// key; the client's cache is off. <see cref="ClientPairedRun"/> runs the same methods interleaved.
/// </summary>
[MemoryDiagnoser]
public class ClientRoundTripBenchmarks
{
    public const string RepositoryVariable = "GRANARY_BENCH_CLIENT_REPO";
    public const long Users = 10_000;

    private const int Requests = 1 << 10;

    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    private GranaryServer _server = null!;
    private HttpClient _raw = null!;
    private HttpClient _rawNoTimeout = null!;
    private GranaryClient _http = null!;
    private GranaryClient _grpc = null!;
    private GrpcChannel _channel = null!;
    private FeatureServing.FeatureServingClient _rawGrpc = null!;
    private Uri _endpoint = null!;
    private byte[][] _bodies = null!;
    private ClientRequest[] _requests = null!;
    private GetOnlineFeaturesRequest[] _protoRequests = null!;
    private int _next;

    [GlobalSetup]
    public async Task Setup()
    {
        var root = Environment.GetEnvironmentVariable(RepositoryVariable)
            ?? throw new InvalidOperationException($"{RepositoryVariable} is not set: run through --client.");
        _server = new GranaryServer(
            new GranaryServerOptions { RepositoryPath = root, Port = 0, GrpcPort = 0 },
            logging => logging.ClearProviders());
        await _server.StartAsync();
        _endpoint = new Uri(_server.HttpUrl, "get-online-features");

        var random = new Random(42);
        var features = OnlineBenchData.FeatureReferences.ToArray();
        _bodies = new byte[Requests][];
        _requests = new ClientRequest[Requests];
        _protoRequests = new GetOnlineFeaturesRequest[Requests];
        for (var i = 0; i < Requests; i++)
        {
            var user = random.NextInt64(Users);
            _requests[i] = ClientRequest.ForFeatures(features).WithEntityColumn("user_id", [user]);
            var body = new ArrayBufferWriter<byte>();
            Granary.Client.Http.HttpRequestWriter.WriteOnlineFeatures(body, _requests[i]);
            _bodies[i] = body.WrittenSpan.ToArray();
            var proto = new GetOnlineFeaturesRequest { Features = { features } };
            var ids = new RepeatedValue();
            ids.Val.Add(new Value { Int64Val = user });
            proto.Entities.Add("user_id", ids);
            _protoRequests[i] = proto;
        }

        // The client's handler settings and its default per-attempt timeout, built here rather than by the client's
        // own factory so that the baseline stays the same whatever the client changes.
        var clientOptions = new GranaryClientOptions { BaseAddress = _server.HttpUrl };
        _raw = RawHttpClient(_server.HttpUrl, clientOptions.Timeout);
        _rawNoTimeout = RawHttpClient(_server.HttpUrl, Timeout.InfiniteTimeSpan);
        _http = new GranaryClient(clientOptions);
        _grpc = new GranaryClient(new GranaryClientOptions { BaseAddress = _server.HttpUrl, GrpcAddress = _server.GrpcUrl, Transport = GranaryTransport.Grpc });
        _channel = GrpcChannel.ForAddress(_server.GrpcUrl!);
        _rawGrpc = new FeatureServing.FeatureServingClient(_channel);

        // Every path once, so a broken one fails the setup rather than measuring errors.
        // The first without a timeout: the server's first answer (its code compiled, the store opened) can take
        // seconds on a loaded machine.
        await RawHttpPostNoTimeout();
        await RawHttpPost();
        if (await ClientHttp() != 1 || await ClientGrpc() != 1 || await RawGrpc() != 11)
        {
            throw new InvalidOperationException("A warm-up call answered an unexpected shape.");
        }
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _http.Dispose();
        _grpc.Dispose();
        _raw.Dispose();
        _rawNoTimeout.Dispose();
        _channel.Dispose();
        await _server.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "Raw HttpClient POST, whole answer read")]
    public Task<int> RawHttpPost() => PostAsync(_raw);

    [Benchmark(Description = "Raw HttpClient POST, no timeout")]
    public Task<int> RawHttpPostNoTimeout() => PostAsync(_rawNoTimeout);

    [Benchmark(Description = "GranaryClient, HTTP")]
    public async Task<int> ClientHttp() => (await _http.GetOnlineFeaturesAsync(_requests[_next++ & (Requests - 1)])).EntityCount;

    [Benchmark(Description = "GranaryClient, gRPC")]
    public async Task<int> ClientGrpc() => (await _grpc.GetOnlineFeaturesAsync(_requests[_next++ & (Requests - 1)])).EntityCount;

    [Benchmark(Description = "Raw gRPC stub call")]
    public async Task<int> RawGrpc() => (await _rawGrpc.GetOnlineFeaturesAsync(_protoRequests[_next++ & (Requests - 1)])).Results.Count;

    private static HttpClient RawHttpClient(Uri address, TimeSpan timeout) => new(
        new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        })
    {
        BaseAddress = address,
        Timeout = timeout,
    };

    private async Task<int> PostAsync(HttpClient http)
    {
        using var content = new ByteArrayContent(_bodies[_next++ & (Requests - 1)]);
        content.Headers.ContentType = JsonType;
        using var response = await http.PostAsync(_endpoint, content);
        var body = await response.Content.ReadAsByteArrayAsync();
        return response.IsSuccessStatusCode ? body.Length : throw new InvalidOperationException($"HTTP {(int)response.StatusCode}");
    }
}
