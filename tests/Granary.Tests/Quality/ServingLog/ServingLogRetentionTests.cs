using Granary.Core.Model;
using Granary.Monitoring;
using Granary.Offline;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Quality.ServingLog;

/// <summary>
/// The serving log's retention delete runs at most once per min(retention / 24, 1 h) per view, on the store's clock:
/// the writer asks after every flush, and only a due view is deleted from.
/// </summary>
public sealed class ServingLogRetentionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 4, 6, 0, 0, TimeSpan.Zero);

    private static ServingLogTable Table(string view) =>
        new("shop", view, "/nowhere", [new Field("user_id", FeatureType.Int64)], [new Field("orders_7d", FeatureType.Int64)]);

    /// <summary>Records each delete's view and cut-off; can fail the next delete.</summary>
    private sealed class RecordingLog : IServingLog
    {
        public List<(string View, DateTimeOffset Cutoff)> Deletes { get; } = [];

        public bool FailNext { get; set; }

        public Task AppendAsync(ServingLogTable table, IReadOnlyList<ServingLogRecord> rows, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<OfflineRows> ReadAsync(ServingLogTable table, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<long> DeleteOlderThanAsync(ServingLogTable table, DateTimeOffset cutoff, CancellationToken cancellationToken = default)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new IOException("The log's folder is not writable.");
            }

            Deletes.Add((table.View, cutoff));
            return Task.FromResult(1L);
        }
    }

    [Theory]
    [InlineData(720, 30)]     // 12 h: a 24th is 30 min
    [InlineData(43_200, 60)]  // 30 d: a 24th is 30 h, capped at 1 h
    [InlineData(1_440, 60)]   // 1 d: exactly 1 h
    public async Task A_view_is_deleted_from_on_its_first_flush_and_then_once_per_interval(int retentionMinutes, int intervalMinutes)
    {
        var time = new FakeTimeProvider(Now);
        var retention = TimeSpan.FromMinutes(retentionMinutes);
        var policy = new ServingLogRetention(retention, time);
        var log = new RecordingLog();
        var table = Table("user_stats");

        var ran = new List<bool> { await policy.DeleteIfDueAsync(log, table, CancellationToken.None) };
        time.Advance(TimeSpan.FromMinutes(intervalMinutes) - TimeSpan.FromSeconds(1));
        ran.Add(await policy.DeleteIfDueAsync(log, table, CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(1));
        ran.Add(await policy.DeleteIfDueAsync(log, table, CancellationToken.None));
        ran.Add(await policy.DeleteIfDueAsync(log, table, CancellationToken.None));

        Assert.Equal(TimeSpan.FromMinutes(intervalMinutes), policy.Interval);
        Assert.Equal([true, false, true, false], ran);
        Assert.Equal([("user_stats", Now - retention), ("user_stats", Now.AddMinutes(intervalMinutes) - retention)], log.Deletes);
    }

    [Fact]
    public async Task Each_view_waits_for_its_own_interval()
    {
        var time = new FakeTimeProvider(Now);
        var policy = new ServingLogRetention(TimeSpan.FromDays(30), time);
        var log = new RecordingLog();

        await policy.DeleteIfDueAsync(log, Table("a"), CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(10));
        await policy.DeleteIfDueAsync(log, Table("a"), CancellationToken.None);
        await policy.DeleteIfDueAsync(log, Table("b"), CancellationToken.None);

        Assert.Equal(["a", "b"], log.Deletes.Select(d => d.View));
    }

    [Fact]
    public async Task A_failed_delete_is_tried_again_on_the_next_flush()
    {
        var time = new FakeTimeProvider(Now);
        var policy = new ServingLogRetention(TimeSpan.FromDays(30), time);
        var log = new RecordingLog { FailNext = true };

        await Assert.ThrowsAsync<IOException>(() => policy.DeleteIfDueAsync(log, Table("a"), CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(10));
        var ran = await policy.DeleteIfDueAsync(log, Table("a"), CancellationToken.None);

        Assert.True(ran);
        Assert.Single(log.Deletes);
    }

    [Fact]
    public async Task No_retention_deletes_nothing()
    {
        var policy = new ServingLogRetention(TimeSpan.Zero, new FakeTimeProvider(Now));
        var log = new RecordingLog();

        Assert.False(await policy.DeleteIfDueAsync(log, Table("a"), CancellationToken.None));
        Assert.Empty(log.Deletes);
    }
}
