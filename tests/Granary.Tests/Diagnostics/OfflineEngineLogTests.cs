using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Offline;
using Granary.Offline.Diagnostics;
using Granary.Offline.Retrieval;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Granary.Tests.Diagnostics;

/// <summary>
/// Every offline engine's calls are logged by its decorator (6001-6006) through the store's logger factory: what was
/// asked, how long it took and how many rows, or, when it failed, what was asked and the stable code.
/// </summary>
public sealed class OfflineEngineLogTests
{
    private static readonly DateTimeOffset End = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Training_data_written_and_a_materialization_read_are_logged_with_rows_and_time()
    {
        using var repo = SampleRepository.Create().Write("entities.csv", "user_id,event_timestamp\n1,2026-11-03T00:00:00Z\n2,2026-11-03T00:00:00Z\n");
        var log = new CapturedLog();
        await using var store = new FeatureStoreBuilder(repo.Root).UseLoggerFactory(new OneLogFactory(log)).Build();
        await store.ApplyAsync();

        var training = await store.GetHistoricalFeaturesAsync(new() { Entities = EntityTable.FromFile(Path.Combine(repo.Root, "entities.csv")), Features = ["user_stats:orders_7d"] });
        var written = await training.WriteAsync(Path.Combine(repo.Root, "training.parquet"));
        await store.MaterializeAsync(DateTimeOffset.UnixEpoch, End, ["user_stats"]);

        var write = Assert.Single(log.WithId(6002));
        Assert.Equal(LogLevel.Information, write.Level);
        Assert.Contains("Offline engine duckdb: the point-in-time join of 'user_stats' for ", write.Message, StringComparison.Ordinal);
        Assert.Contains($"wrote {written} rows to ", write.Message, StringComparison.Ordinal);
        var read = Assert.Single(log.WithId(6001));
        Assert.Equal(LogLevel.Debug, read.Level);
        Assert.Contains("the latest values of 'user_stats' in [1970-01-01T00:00:00.0000000Z, 2027-01-01T00:00:00.0000000Z]", read.Message, StringComparison.Ordinal);
        Assert.Empty(log.WithId(6005));
    }

    [Fact]
    public async Task A_failed_retrieval_is_logged_as_a_warning_with_what_was_asked_and_its_code()
    {
        using var repo = SampleRepository.Create().Write("entities.csv", "customer,event_timestamp\n1,2026-11-03T00:00:00Z\n");
        var log = new CapturedLog();
        await using var store = new FeatureStoreBuilder(repo.Root).UseLoggerFactory(new OneLogFactory(log)).Build();
        await store.ApplyAsync();

        var training = await store.GetHistoricalFeaturesAsync(new() { Entities = EntityTable.FromFile(Path.Combine(repo.Root, "entities.csv")), Features = ["user_stats:orders_7d"] });
        var error = await Assert.ThrowsAsync<GranaryException>(() => training.WriteAsync(Path.Combine(repo.Root, "training.parquet")));

        var entry = Assert.Single(log.WithId(6005));
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains("Offline engine duckdb: the point-in-time join of 'user_stats' for ", entry.Message, StringComparison.Ordinal);
        Assert.Contains($"with {error.Code}: {error.Message}", entry.Message, StringComparison.Ordinal);
        Assert.Same(error, entry.Exception);
        Assert.Empty(log.WithId(6002));
    }

    [Fact]
    public async Task A_call_its_caller_canceled_is_logged_as_canceled_not_as_a_failure()
    {
        var log = new CapturedLog();
        await using var engine = new TracedOfflineEngine(new FailingEngine(new OperationCanceledException()), "fake", log);
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => engine.Require<ILatestValuesReader>("read").ReadLatestAsync(Request(), canceled.Token));

        var entry = Assert.Single(log.WithId(6006));
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Contains("Offline engine failing: the latest values of 'view0' in ", entry.Message, StringComparison.Ordinal);
        Assert.Empty(log.WithId(6005));
    }

    [Fact]
    public async Task An_unexpected_exception_is_logged_with_its_type_and_the_exception_itself()
    {
        var log = new CapturedLog();
        var thrown = new InvalidOperationException("the engine broke");
        await using var engine = new TracedOfflineEngine(new FailingEngine(thrown), "fake", log);

        await Assert.ThrowsAsync<InvalidOperationException>(() => engine.Require<ILatestValuesReader>("count").CountLatestAsync(Request()));

        var entry = Assert.Single(log.WithId(6005));
        Assert.Contains("the latest values of 'view0'", entry.Message, StringComparison.Ordinal);
        Assert.Contains("with InvalidOperationException: the engine broke", entry.Message, StringComparison.Ordinal);
        Assert.Same(thrown, entry.Exception);
    }

    private static LatestValuesRequest Request()
    {
        var source = new FileSource { Name = "events", Path = "events.parquet", Format = FileFormat.Parquet, TimestampField = "ts" };
        var view = new FeatureView { Name = "view0", Entities = ["key"], Schema = [new Field("f0", FeatureType.Int64)], Source = source.Name };
        return new LatestValuesRequest(new PointInTimeView(view, source, ["k"], ["f0"]), DateTimeOffset.UnixEpoch, End, "/");
    }

    /// <summary>An engine whose latest-values reader throws what it was given, as a real one might.</summary>
    private sealed class FailingEngine(Exception exception) : IOfflineEngine, ILatestValuesReader
    {
        public string Name => "failing";

        public Task<OfflineRows> ReadLatestAsync(LatestValuesRequest request, CancellationToken cancellationToken = default) => Task.FromException<OfflineRows>(exception);

        public Task<long> CountLatestAsync(LatestValuesRequest request, CancellationToken cancellationToken = default) => Task.FromException<long>(exception);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
