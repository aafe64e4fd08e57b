using System.Buffers;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Granary.Benchmarks.OnlineServing;
using Granary.OnlineServing;
using Granary.Server.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Granary.Benchmarks.Server;

/// <summary>
/// The feature server's own work for one <c>POST /get-online-features</c>, everything but Kestrel: parse the body's
/// bytes, look up (through the server's metered store, with its metrics recorded to the Prometheus adapter), and
/// write the JSON answer, on the embedded store holding the <c>--online-lookup</c> users. Beside it: the lookup alone,
/// the same lookup through a feature service (which records usage), the usage recording alone, and the floor of <see cref="EmbeddedOnlineLookupBenchmarks"/> (a dictionary lookup and a decode), so the
/// server's own cost shows as the difference. Run through <c>--online-lookup --filter '*OnlineEndpoint*'</c>.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class OnlineEndpointBenchmarks
{
    private LookupFixture _fixture = null!;
    private ServiceProvider _services = null!;
    private EndpointRunner _runner = null!;
    private byte[][] _single = null!;
    private byte[][] _batch = null!;
    private readonly ArrayBufferWriter<byte> _output = new(1 << 16);
    private Utf8JsonWriter _writer = null!;
    private OnlineFeaturesResponse _answer = null!;
    private int _next;

    [GlobalSetup]
    public async Task Setup()
    {
        _fixture = await LookupFixture.OpenAsync(LookupFixture.EmbeddedVariable);
        var root = _fixture.Store.Config.RepositoryRoot;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGranaryServer(server => server.RepositoryPath = root);
        _services = services.BuildServiceProvider();
        _runner = _services.GetRequiredService<EndpointRunner>();
        _single = [.. _fixture.Single.Select(Body)];
        _batch = [.. _fixture.Batch.Select(Body)];
        _writer = new Utf8JsonWriter(_output, JsonBody.WriterOptions);
        await Endpoint(_single[0]);
        _answer = await _fixture.Store.GetOnlineFeaturesAsync(_fixture.Single[0]);
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _services.DisposeAsync();
        await _fixture.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "Floor: dictionary + TryDecode")]
    [BenchmarkCategory("1 entity x 10 features")]
    public int Floor1() => _fixture.FloorDictionary([_fixture.SingleId(_next++ & (LookupFixture.SingleRequests - 1))]);

    [Benchmark(Description = "Lookup (request prebuilt)")]
    [BenchmarkCategory("1 entity x 10 features")]
    public Task<OnlineFeaturesResponse> Lookup1() =>
        OnlineFeaturesEndpoint.LookupAsync(_runner, _fixture.Single[_next++ & (LookupFixture.SingleRequests - 1)], default);

    // The same lookup through the feature service: what a model's requests cost with usage recorded automatically.
    [Benchmark(Description = "Lookup via the feature service (usage recorded)")]
    [BenchmarkCategory("1 entity x 10 features")]
    public Task<OnlineFeaturesResponse> ServiceLookup1() =>
        OnlineFeaturesEndpoint.LookupAsync(_runner, _fixture.SingleThroughService[_next++ & (LookupFixture.SingleRequests - 1)], default);

    // The usage recording of ServiceLookup1 alone, so ServiceLookup1 - Lookup1 - RecordUsage1 is the service's resolution.
    [Benchmark(Description = "Usage recording of one service read only")]
    [BenchmarkCategory("1 entity x 10 features")]
    public void RecordUsage1() => _fixture.Store.RecordServiceUsage(OnlineBenchData.Service, null);

    [Benchmark(Description = "Endpoint: parse + lookup + metrics + JSON")]
    [BenchmarkCategory("1 entity x 10 features")]
    public Task<int> Endpoint1() => Endpoint(_single[_next++ & (LookupFixture.SingleRequests - 1)]);

    [Benchmark(Description = "Parse the body only")]
    [BenchmarkCategory("1 entity x 10 features")]
    public OnlineFeaturesRequest Parse1() => OnlineFeaturesEndpoint.Parse(_single[_next++ & (LookupFixture.SingleRequests - 1)]);

    [Benchmark(Description = "JSON answer only (response prebuilt)")]
    [BenchmarkCategory("1 entity x 10 features")]
    public int Json1()
    {
        _output.ResetWrittenCount();
        _writer.Reset(_output);
        OnlineResponseJson.Write(_writer, _answer);
        _writer.Flush();
        return _output.WrittenCount;
    }

    [Benchmark(Description = "Metrics of one request (server, lookup, store)")]
    [BenchmarkCategory("1 entity x 10 features")]
    public void Metrics1()
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        _runner.Metrics.StoreRead("embedded", started);
        _runner.Metrics.ViewReads(OnlineBenchData.View, 1);
        _runner.Metrics.Lookup(_answer, 1);
        _runner.Metrics.Request(OnlineFeaturesEndpoint.Name, 200, started);
    }

    [Benchmark(Baseline = true, Description = "Floor: dictionary + TryDecode")]
    [BenchmarkCategory("100 entities x 10 features")]
    public int Floor100() => _fixture.FloorDictionary(_fixture.BatchIds[_next++ & (LookupFixture.BatchRequests - 1)]);

    [Benchmark(Description = "Lookup (request prebuilt)")]
    [BenchmarkCategory("100 entities x 10 features")]
    public Task<OnlineFeaturesResponse> Lookup100() =>
        OnlineFeaturesEndpoint.LookupAsync(_runner, _fixture.Batch[_next++ & (LookupFixture.BatchRequests - 1)], default);

    [Benchmark(Description = "Endpoint: parse + lookup + metrics + JSON")]
    [BenchmarkCategory("100 entities x 10 features")]
    public Task<int> Endpoint100() => Endpoint(_batch[_next++ & (LookupFixture.BatchRequests - 1)]);

    // What OnlineFeaturesEndpoint.HandleAsync does between Kestrel's body and Kestrel's pipe.
    private async Task<int> Endpoint(byte[] body)
    {
        var request = OnlineFeaturesEndpoint.Parse(body);
        var response = await OnlineFeaturesEndpoint.LookupAsync(_runner, request, default);
        _output.ResetWrittenCount();
        _writer.Reset(_output);
        OnlineResponseJson.Write(_writer, response);
        _writer.Flush();
        return _output.WrittenCount;
    }

    private static byte[] Body(OnlineFeaturesRequest request)
    {
        var ids = request.Entities["user_id"];
        var json = new StringBuilder("{\"features\":[");
        json.AppendJoin(',', request.Features.Select(f => $"\"{f}\""));
        json.Append("],\"entities\":{\"user_id\":[").AppendJoin(',', ids).Append("]}}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }
}
