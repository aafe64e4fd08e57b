using System.Collections;
using System.Globalization;
using Granary.Core.Model;
using Granary.Offline;

namespace Granary.Tests.Offline.Contracts;

/// <summary>
/// <see cref="IServingLog"/>: appended served rows are read back typed, in the documented columns, ordered by
/// <c>served_at</c>, within [start, end) only; a view never logged reads as no rows; retention deletes the rows of the
/// days before the cut-off and keeps the rest.
/// </summary>
public abstract class ServingLogContract : OfflineCapabilityContract<IServingLog>
{
    protected static readonly DateTimeOffset Day = new(2026, 11, 10, 0, 0, 0, TimeSpan.Zero);

    protected ServingLogTable Table => new(
        "shop",
        "user_stats",
        Root,
        [new Field("user_id", FeatureType.Int64)],
        [new Field("orders", FeatureType.Int64), new Field("spend", FeatureType.Float64), new Field("segment", FeatureType.String), new Field("embedding", FeatureType.Float64.AsList())]);

    protected static ServingLogRecord Record(long user, DateTimeOffset at, long? orders, double? spend, string? segment, bool? ordersFound = true) =>
        new([user], at, [orders, spend, segment, new[] { 0.5, user }], [ordersFound, spend is not null, null, true]);

    [Fact]
    public async Task Appended_rows_are_read_back_typed_in_the_interval_and_ordered_by_served_at()
    {
        await Capability.AppendAsync(Table, [
            Record(2, Day.AddHours(3), 20, 2.5, "b"),
            Record(1, Day.AddHours(1), 10, null, "a"),
            Record(9, Day.AddHours(-1), 90, 9.0, "z"),            // before the start
        ]);
        await Capability.AppendAsync(Table, [
            Record(3, Day.AddHours(5), null, 3.25, null, ordersFound: false),
            Record(4, Day.AddHours(6), 40, 4.0, "d"),             // exactly at the end: excluded
            Record(5, Day, 50, 5.0, "e"),                         // exactly at the start: included
        ]);

        var rows = await ReadAsync(Day, Day.AddHours(6));

        Assert.Equal(
            [
                "5|2026-11-10T00:00:00Z|50|5|e|0.5,5|True|True||True",
                "1|2026-11-10T01:00:00Z|10||a|0.5,1|True|False||True",
                "2|2026-11-10T03:00:00Z|20|2.5|b|0.5,2|True|True||True",
                "3|2026-11-10T05:00:00Z||3.25||0.5,3|False|True||True",
            ],
            rows);
    }

    [Fact]
    public async Task Rows_across_days_are_all_read_and_the_columns_are_named_as_documented()
    {
        await Capability.AppendAsync(Table, [Record(1, Day.AddHours(23), 1, 1.0, "a"), Record(2, Day.AddHours(25), 2, 2.0, "b")]);

        await using var rows = await Capability.ReadAsync(Table, Day, Day.AddDays(2));
        var names = Enumerable.Range(0, rows.Reader.FieldCount).Select(rows.Reader.GetName).ToList();
        var count = 0;
        while (await rows.Reader.ReadAsync())
        {
            count++;
        }

        Assert.Equal(["user_id", "served_at", "orders", "spend", "segment", "embedding", "orders__found", "spend__found", "segment__found", "embedding__found"], names);
        Assert.Equal(2, count);
    }

    [Fact]
    public async Task A_view_never_logged_reads_no_rows_and_deletes_nothing()
    {
        Assert.Empty(await ReadAsync(Day, Day.AddDays(1)));
        Assert.Equal(0, await Capability.DeleteOlderThanAsync(Table, Day));
    }

    [Fact]
    public async Task Retention_deletes_the_days_before_the_cut_off_and_keeps_the_rest()
    {
        await Capability.AppendAsync(Table, [
            Record(1, Day.AddDays(-3).AddHours(2), 1, 1.0, "a"),
            Record(2, Day.AddDays(-1).AddHours(23), 2, 2.0, "b"),
            Record(3, Day.AddHours(1), 3, 3.0, "c"),
            Record(4, Day.AddDays(1), 4, 4.0, "d"),
        ]);

        var deleted = await Capability.DeleteOlderThanAsync(Table, Day);

        Assert.True(deleted > 0);
        Assert.Equal(["3", "4"], (await ReadAsync(Day.AddDays(-10), Day.AddDays(10))).Select(r => r.Split('|')[0]));
    }

    protected async Task<List<string>> ReadAsync(DateTimeOffset start, DateTimeOffset end)
    {
        await using var rows = await Capability.ReadAsync(Table, start, end);
        var read = new List<string>();
        while (await rows.Reader.ReadAsync())
        {
            var values = new string[rows.Reader.FieldCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = rows.Reader.IsDBNull(i) ? "" : Text(rows.Reader.GetValue(i));
            }

            read.Add(string.Join('|', values));
        }

        return read;
    }

    private static string Text(object value) => value switch
    {
        DateTime d => DateTime.SpecifyKind(d, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        string s => s,
        IEnumerable list => string.Join(',', list.Cast<object>().Select(Text)),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
