using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Granary.OnlineServing;
using Granary.Server.Http;
using Granary.Core.Values;

namespace Granary.Benchmarks.Server;

/// <summary>
/// Ten float64 values written as the online answer writes them (Feast's JSON floats: <c>3.0</c>, never <c>3</c>)
/// against a copy of the writer as it was before, which wrote <c>3</c>. Half the values are whole numbers, the case
/// that gains a <c>.0</c>; a fraction takes the writer's own path as before. In process, on the binaries already built:
/// <c>--quick --filter '*JsonValueWriteBenchmarks*' --inProcess --strategy Throughput</c>.
/// </summary>
[MemoryDiagnoser]
public class JsonValueWriteBenchmarks
{
    private static readonly double[] Doubles = [3, 120.5, 0, 0.1, 1e16, 17.25, 42, -2.5, 1_000_000, 0.333333333333];

    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private readonly FeatureValue[] _values = Array.ConvertAll(Doubles, FeatureValue.Float64);
    private Utf8JsonWriter _writer = null!;

    [GlobalSetup]
    public void Setup() => _writer = new Utf8JsonWriter(_output);

    [Benchmark(Baseline = true, Description = "Before: writer.WriteNumberValue (writes 3)")]
    public int Before()
    {
        Start();
        foreach (var value in _values)
        {
            WriteValueAsBefore(_writer, value);
        }

        return End();
    }

    [Benchmark(Description = "OnlineResponseJson.WriteValue (writes 3.0)")]
    public int WriteValue()
    {
        Start();
        foreach (var value in _values)
        {
            OnlineResponseJson.WriteValue(_writer, value);
        }

        return End();
    }

    // OnlineResponseJson.WriteValue's float64 path before floats were written as Feast writes them.
    private static void WriteValueAsBefore(Utf8JsonWriter writer, FeatureValue value)
    {
        if (value.IsNull)
        {
            writer.WriteNullValue();
            return;
        }

        var number = value.AsFloat64();
        if (double.IsFinite(number))
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private void Start()
    {
        _output.ResetWrittenCount();
        _writer.Reset(_output);
        _writer.WriteStartArray();
    }

    private int End()
    {
        _writer.WriteEndArray();
        _writer.Flush();
        return _output.WrittenCount;
    }
}
