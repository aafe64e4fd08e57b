using System.Diagnostics;
using Granary.Core.Diagnostics;
using Granary.Core.Model;
using Granary.Offline;
using Granary.Offline.Diagnostics;
using Granary.Offline.DuckDb;
using Granary.Tests.Diagnostics;
using Granary.Tests.Offline.Retrieval;

namespace Granary.Tests.Offline.Contracts;

// The tracing decorator runs the contract of every capability it traces, over DuckDB, while its spans are listened
// to: tracing changes nothing an engine answers. Each suite checks at the end that its calls did make spans.

[Collection(ActivityListenerCollection.Name)]
[ContractEngine(typeof(TracedOfflineEngine))]
public sealed class TracedPointInTimeReaderTests : PointInTimeReaderContract, IDisposable
{
    private readonly OfflineSpanCounter _spans = new();

    protected override int Scenarios => 30;

    protected override Task<IOfflineEngine> CreateEngineAsync() => Task.FromResult<IOfflineEngine>(new TracedOfflineEngine(new DuckDbOfflineEngine(), "duckdb"));

    protected override Task<List<object?[]>> RunAsync(string root, IReadOnlyList<PitEntityRow> entities, IReadOnlyList<PitView> views, bool fullNames, bool filterByCreated) =>
        PitScenario.RunEngineAsync(Capability, root, entities, views, fullNames, filterByCreated);

    public void Dispose() => _spans.Dispose();
}

[Collection(ActivityListenerCollection.Name)]
[ContractEngine(typeof(TracedOfflineEngine))]
public sealed class TracedLatestValuesReaderTests : LatestValuesReaderContract, IDisposable
{
    private readonly OfflineSpanCounter _spans = new();

    protected override Task<IOfflineEngine> CreateEngineAsync() => Task.FromResult<IOfflineEngine>(new TracedOfflineEngine(new DuckDbOfflineEngine(), "duckdb"));

    protected override Task<BatchSource> CreateSourceAsync(PitView view) => PitScenario.WriteSourceAsync(Root, view);

    public void Dispose() => _spans.Dispose();
}

[Collection(ActivityListenerCollection.Name)]
[ContractEngine(typeof(TracedOfflineEngine))]
public sealed class TracedPushLogTests : PushLogContract, IDisposable
{
    private readonly OfflineSpanCounter _spans = new();

    protected override Task<IOfflineEngine> CreateEngineAsync() => Task.FromResult<IOfflineEngine>(new TracedOfflineEngine(new DuckDbOfflineEngine(), "duckdb"));

    protected override Task<BatchSource> CreateSourceAsync(PitView view) => PitScenario.WriteSourceAsync(Root, view);

    public void Dispose() => _spans.Dispose();
}

/// <summary>Listens to the offline source for one test and, at its end, checks that the test's calls made spans.</summary>
internal sealed class OfflineSpanCounter : IDisposable
{
    private readonly ActivityListener _listener;
    private int _spans;

    public OfflineSpanCounter()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GranaryTelemetry.OfflineActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ => Interlocked.Increment(ref _spans),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose()
    {
        _listener.Dispose();
        Assert.True(Volatile.Read(ref _spans) > 0, "The calls went around the traced path: no offline span was recorded.");
    }
}
