using System.Globalization;
using Granary.Core.Model;
using Granary.Offline;
using Granary.Offline.Retrieval;
using Granary.Tests.Offline.Retrieval;

namespace Granary.Tests.Offline.Contracts;

/// <summary>
/// <see cref="ILatestValuesReader"/>: per entity, the latest row with an event time in [start, end] (both ends
/// inclusive), ties on event time going to the latest created time, in the documented column layout; the count agrees.
/// </summary>
public abstract class LatestValuesReaderContract : OfflineCapabilityContract<ILatestValuesReader>
{
    internal static readonly DateTime T = PitScenario.Origin.AddHours(10);

    /// <summary>A source of this engine's kind holding <paramref name="view"/>'s rows.</summary>
    protected abstract Task<BatchSource> CreateSourceAsync(PitView view);

    [Fact]
    public async Task Reads_the_latest_row_per_entity_in_the_interval_and_counts_them()
    {
        var view = new PitView(0, TimeSpan.Zero, Composite: false, HasCreated: true, FileFormat.Parquet, [
            Row(1, T.AddHours(-3), T.AddHours(-3), 1),
            Row(1, T.AddHours(-1), T.AddHours(-1), 2),
            Row(1, T.AddHours(-1), T.AddHours(-1).AddSeconds(1), 3),   // the tie's winner
            Row(2, T.AddHours(-2), T.AddHours(-2), 5),
            Row(2, T.AddHours(1), T.AddHours(1), 6),                   // after the end
            Row(3, T.AddHours(-9), T.AddHours(-9), 7),                 // before the start: no row for key 3
            Row(4, T.AddHours(-5), T.AddHours(-5), 8),                 // exactly at the start
            Row(5, T, T, null),                                        // exactly at the end, a null value
        ]);
        var request = await RequestAsync(view, T.AddHours(-5), T);

        var rows = await ReadAsync(request);

        Assert.Equal(
            [
                $"1|{Time(T.AddHours(-1))}|{Time(T.AddHours(-1).AddSeconds(1))}|3",
                $"2|{Time(T.AddHours(-2))}|{Time(T.AddHours(-2))}|5",
                $"4|{Time(T.AddHours(-5))}|{Time(T.AddHours(-5))}|8",
                $"5|{Time(T)}|{Time(T)}|-",
            ],
            rows);
        Assert.Equal(4, await Capability.CountLatestAsync(request));
    }

    [Fact]
    public async Task An_interval_without_rows_reads_nothing()
    {
        var view = new PitView(0, TimeSpan.Zero, Composite: false, HasCreated: false, FileFormat.Parquet, [Row(1, T.AddHours(-3), null, 1)]);
        var request = await RequestAsync(view, T, T.AddHours(1));

        Assert.Empty(await ReadAsync(request));
        Assert.Equal(0, await Capability.CountLatestAsync(request));
    }

    internal static PitSourceRow Row(long key, DateTime at, DateTime? created, long? value) => new(key, 0, at, created, value);

    internal static string Time(DateTime time) => time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>The rows read, sorted, each as text: key, event time, created time, value (<c>-</c> for null).</summary>
    internal static async Task<List<string>> ReadRowsAsync(ILatestValuesReader reader, LatestValuesRequest request)
    {
        await using var rows = await reader.ReadLatestAsync(request);
        var result = new List<string>();
        while (await rows.Reader.ReadAsync())
        {
            result.Add(string.Join("|", Enumerable.Range(0, rows.Reader.FieldCount).Select(i => rows.Reader.IsDBNull(i) ? "-" : Text(rows.Reader.GetValue(i)))));
        }

        result.Sort(StringComparer.Ordinal);
        return result;
    }

    private async Task<LatestValuesRequest> RequestAsync(PitView view, DateTime start, DateTime end)
    {
        var source = await CreateSourceAsync(view);
        var pitView = PitScenario.ToPointInTimeView(view, "unused") with { Source = source };
        return new LatestValuesRequest(pitView, new DateTimeOffset(start), new DateTimeOffset(end), Root);
    }

    private Task<List<string>> ReadAsync(LatestValuesRequest request) => ReadRowsAsync(Capability, request);

    private static string Text(object value) => value switch
    {
        DateTime time => Time(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
        DateTimeOffset time => Time(time.UtcDateTime),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
