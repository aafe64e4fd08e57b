using Granary.Core.Model;
using Granary.Offline;
using Granary.Offline.Retrieval;
using Granary.Tests.Offline.Retrieval;

namespace Granary.Tests.Offline.Contracts;

/// <summary>
/// <see cref="IPushLog"/>: rows appended under the definitions' names land in the batch source under its own column
/// names (field mapping), columns not given are null, and the engine's reads see them afterwards.
/// </summary>
public abstract class PushLogContract : OfflineCapabilityContract<IPushLog>
{
    private static readonly DateTime T = LatestValuesReaderContract.T;

    /// <summary>A source of this engine's kind holding <paramref name="view"/>'s rows, that pushed rows can be logged to.</summary>
    protected abstract Task<BatchSource> CreateSourceAsync(PitView view);

    [Fact]
    public async Task Appended_rows_are_read_back_with_the_source()
    {
        var view = new PitView(0, TimeSpan.Zero, Composite: false, HasCreated: true, FileFormat.Parquet, [
            LatestValuesReaderContract.Row(1, T.AddHours(-3), T.AddHours(-3), 1),
        ]);
        var source = await CreateSourceAsync(view);
        var columns = new Dictionary<string, IReadOnlyList<object?>>
        {
            ["k"] = new object?[] { 1L, 2L },
            ["ts"] = new object?[] { new DateTimeOffset(T.AddHours(-1)), new DateTimeOffset(T.AddHours(-2)) },
            ["created"] = new object?[] { new DateTimeOffset(T.AddHours(-1)), new DateTimeOffset(T.AddHours(-2)) },
            ["f0"] = new object?[] { 10L, 20L },
        };

        await Capability.AppendAsync(source, Root, columns, rows: 2);

        var reader = Engine.Require<ILatestValuesReader>("read the rows back");
        var request = new LatestValuesRequest(PitScenario.ToPointInTimeView(view, "unused") with { Source = source }, new DateTimeOffset(T.AddHours(-5)), new DateTimeOffset(T), Root);
        Assert.Equal(
            [
                $"1|{LatestValuesReaderContract.Time(T.AddHours(-1))}|{LatestValuesReaderContract.Time(T.AddHours(-1))}|10",
                $"2|{LatestValuesReaderContract.Time(T.AddHours(-2))}|{LatestValuesReaderContract.Time(T.AddHours(-2))}|20",
            ],
            await LatestValuesReaderContract.ReadRowsAsync(reader, request));
    }
}
