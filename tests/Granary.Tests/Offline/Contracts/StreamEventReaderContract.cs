using Granary.Core.Model;
using Granary.Core.Time;
using Granary.Offline;
using Granary.Offline.Retrieval;
using Granary.Tests.Offline.Retrieval;

namespace Granary.Tests.Offline.Contracts;

/// <summary>
/// <see cref="IStreamEventReader"/>: a view's logged events with an event time in [start, end] (both ends inclusive),
/// none without a time, in the documented columns (keys, <c>__ts</c> in microseconds, the event columns), ordered by
/// key and then as logged, so that of two copies of one key's event the one logged first comes first; the count agrees.
/// </summary>
public abstract class StreamEventReaderContract : OfflineCapabilityContract<IStreamEventReader>
{
    private static readonly DateTime T = PitScenario.Origin.AddHours(10);

    /// <summary>A source of this engine's kind holding <paramref name="view"/>'s rows, in the given order.</summary>
    protected abstract Task<BatchSource> CreateSourceAsync(PitView view);

    [Fact]
    public async Task Reads_the_events_in_the_interval_by_key_then_in_log_order_and_counts_them()
    {
        var view = new PitView(0, TimeSpan.Zero, Composite: false, HasCreated: false, FileFormat.Parquet, [
            Row(2, T.AddMinutes(-10), 1),
            Row(1, T.AddMinutes(-5), 2),
            Row(1, T.AddMinutes(-30), 3),   // logged after a later event of its key: stays after it
            Row(2, T.AddHours(-2), 4),      // before the start
            Row(1, T.AddMinutes(-60), 5),   // exactly at the start
            Row(3, T, 6),                   // exactly at the end
            Row(3, T.AddSeconds(1), 7),     // after the end
            Row(1, T.AddMinutes(-5), 8),    // a second copy of key 1's event at -5 min, logged later: after the first
            Row(2, T.AddMinutes(-20), null),
        ]);
        var request = await RequestAsync(view, T.AddMinutes(-60), T);

        await using var rows = await Capability.ReadEventsAsync(request);
        var read = new List<string>();
        while (await rows.Reader.ReadAsync())
        {
            var value = rows.Reader.IsDBNull(2) ? "-" : Convert.ToInt64(rows.Reader.GetValue(2)).ToString();
            read.Add($"{rows.Reader.GetInt64(0)}|{(rows.Reader.GetInt64(1) - Micros(T)) / 60_000_000}|{value}");
        }

        Assert.Equal(["1|-5|2", "1|-30|3", "1|-60|5", "1|-5|8", "2|-10|1", "2|-20|-", "3|0|6"], read);
        Assert.Equal(7, await Capability.CountEventsAsync(request));
    }

    [Fact]
    public async Task An_interval_without_events_reads_nothing()
    {
        var view = new PitView(0, TimeSpan.Zero, Composite: false, HasCreated: false, FileFormat.Parquet, [Row(1, T.AddHours(-3), 1)]);
        var request = await RequestAsync(view, T, T.AddHours(1));

        await using var rows = await Capability.ReadEventsAsync(request);
        Assert.False(await rows.Reader.ReadAsync());
        Assert.Equal(0, await Capability.CountEventsAsync(request));
    }

    private static PitSourceRow Row(long key, DateTime at, long? value) => new(key, 0, at, null, value);

    private static long Micros(DateTime time) => UtcMicros.From(DateTime.SpecifyKind(time, DateTimeKind.Utc));

    private async Task<StreamEventsRequest> RequestAsync(PitView view, DateTime start, DateTime end)
    {
        var source = await CreateSourceAsync(view);
        var pitView = PitScenario.ToPointInTimeView(view, "unused") with { Source = source };
        return new StreamEventsRequest(pitView, Micros(start), Micros(end), Root);
    }
}
