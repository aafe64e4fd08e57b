using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Core.Model;
using Granary.Offline;
using Granary.Offline.DuckDb;
using Granary.Offline.Retrieval;
using Granary.Tests.Offline.Retrieval;

namespace Granary.Tests.Offline.Contracts;

/// <summary>
/// <see cref="IPushLogCompaction"/>: whatever mix of pushes (one at a time or concurrent) and compactions (automatic
/// or asked for) a log goes through, the rows read from the source are exactly the rows pushed, and the log's files
/// stay under the engine's bound however many pushes arrive.
/// </summary>
public abstract class PushLogCompactionContract : OfflineCapabilityContract<IPushLogCompaction>
{
    private static readonly DateTime T = LatestValuesReaderContract.T;

    private int _views;

    /// <summary>A source of this engine's kind holding <paramref name="view"/>'s rows, that pushed rows can be logged to.</summary>
    protected abstract Task<BatchSource> CreateSourceAsync(PitView view);

    /// <summary>The most files the engine may keep for one source's log (with three pushes at a time at most).</summary>
    protected abstract int MaxLoggedFiles { get; }

    /// <summary>How many files the engine keeps for <paramref name="source"/>'s log now.</summary>
    protected abstract int LoggedFiles(BatchSource source);

    /// <summary>Steps: 0 compacts, 1-6 push that many rows, 7 and 8 push three batches at once.</summary>
    private static readonly Gen<(int[] Steps, FileFormat Format)> Histories =
        Gen.Zip(Gen.ArrayOf(Gen.Choose(0, 8), 24), Gen.Elements(FileFormat.Parquet, FileFormat.Csv), (steps, format) => (steps, format));

    [Property(MaxTest = 6)]
    public Property Rows_read_back_equal_rows_pushed_across_compactions_and_the_files_stay_bounded() =>
        Prop.ForAll(Histories.ToArbitrary(), history =>
        {
            Task.Run(() => CheckAsync(history.Steps, history.Format)).GetAwaiter().GetResult();
            return true;
        });

    [Fact]
    public async Task Four_hundred_pushes_leave_a_bounded_number_of_files_and_every_row()
    {
        var (source, expected) = await SourceAsync(FileFormat.Csv);
        for (var i = 0; i < 400; i++)
        {
            await PushAsync(source, expected, 1);
        }

        Assert.InRange(LoggedFiles(source), 1, MaxLoggedFiles);
        Assert.Equal(expected.Order(StringComparer.Ordinal), await ReadAsync(source));
        Assert.Equal(401, expected.Count);
    }

    private async Task CheckAsync(int[] steps, FileFormat format)
    {
        var (source, expected) = await SourceAsync(format);
        foreach (var step in steps)
        {
            if (step == 0)
            {
                await Capability.CompactAsync(source, Root);
            }
            else if (step <= 6)
            {
                await PushAsync(source, expected, step);
            }
            else
            {
                await Task.WhenAll(PushAsync(source, expected, 1), PushAsync(source, expected, 2), PushAsync(source, expected, 3));
            }

            Assert.True(LoggedFiles(source) <= MaxLoggedFiles, $"{LoggedFiles(source)} files after step {step}, more than {MaxLoggedFiles}.");
            Assert.Equal(expected.Order(StringComparer.Ordinal), await ReadAsync(source));
        }
    }

    private async Task<(BatchSource Source, List<string> Expected)> SourceAsync(FileFormat format)
    {
        var view = new PitView(Interlocked.Increment(ref _views), TimeSpan.Zero, Composite: false, HasCreated: true, format, [
            LatestValuesReaderContract.Row(0, T.AddHours(-4), T.AddHours(-4), 0),
        ]);
        var source = await CreateSourceAsync(view);
        return (source, [Line(0, 0)]);
    }

    // Every row has a key of its own, so the latest row per key is every row.
    private async Task PushAsync(BatchSource source, List<string> expected, int rows)
    {
        long first;
        lock (expected)
        {
            first = expected.Count;
            for (var r = 0; r < rows; r++)
            {
                expected.Add(Line(first + r, (first + r) % 5 == 0 ? null : (first + r) * 10));
            }
        }

        var keys = Enumerable.Range(0, rows).Select(r => first + r).ToList();
        var columns = new Dictionary<string, IReadOnlyList<object?>>
        {
            ["k"] = keys.Select(k => (object?)k).ToList(),
            ["ts"] = keys.Select(k => (object?)new DateTimeOffset(At(k), TimeSpan.Zero)).ToList(),
            ["created"] = keys.Select(k => (object?)new DateTimeOffset(At(k), TimeSpan.Zero)).ToList(),
            ["f" + source.Name[4..^7]] = keys.Select(k => k % 5 == 0 ? null : (object?)(k * 10)).ToList(),
        };
        await Engine.Require<IPushLog>("log pushed rows").AppendAsync(source, Root, columns, rows);
    }

    private async Task<List<string>> ReadAsync(BatchSource source)
    {
        var index = int.Parse(source.Name[4..^7], System.Globalization.CultureInfo.InvariantCulture);
        var view = new PitView(index, TimeSpan.Zero, Composite: false, HasCreated: true, FileFormat.Parquet, []);
        var request = new LatestValuesRequest(PitScenario.ToPointInTimeView(view, "unused") with { Source = source }, new DateTimeOffset(T.AddHours(-5)), new DateTimeOffset(T), Root);
        return await LatestValuesReaderContract.ReadRowsAsync(Engine.Require<ILatestValuesReader>("read the rows back"), request);
    }

    private static DateTime At(long key) => T.AddHours(-4).AddSeconds(key);

    private static string Line(long key, long? value) =>
        $"{key}|{LatestValuesReaderContract.Time(At(key))}|{LatestValuesReaderContract.Time(At(key))}|{(value is { } v ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : "-")}";
}

[ContractEngine(typeof(DuckDbOfflineEngine))]
public sealed class DuckDbPushLogCompactionTests : PushLogCompactionContract
{
    private const int CompactAfterParts = 4;

    // Live: the parts up to the threshold and one compaction; dead until the next compaction: the parts and compaction
    // the last one merged (the threshold's worth plus what one flush added).
    protected override int MaxLoggedFiles => (2 * (CompactAfterParts + 1)) + 3;

    protected override Task<IOfflineEngine> CreateEngineAsync() => Task.FromResult<IOfflineEngine>(new DuckDbOfflineEngine(CompactAfterParts));

    protected override Task<BatchSource> CreateSourceAsync(PitView view) => PitScenario.WriteSourceAsync(Root, view);

    protected override int LoggedFiles(BatchSource source)
    {
        var folder = DuckDbSql.PushedFolder(DuckDbSql.ResolvePath((FileSource)source, Root));
        return Directory.Exists(folder) ? Directory.GetFiles(folder).Length : 0;
    }
}
