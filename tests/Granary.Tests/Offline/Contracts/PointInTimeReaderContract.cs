using FsCheck;
using FsCheck.Fluent;
using Granary.Core.Model;
using Granary.Offline;
using Granary.Tests.Offline.Retrieval;

namespace Granary.Tests.Offline.Contracts;

/// <summary>
/// <see cref="IPointInTimeReader"/>: the join against a naive scan on random data built to hit the edges (event times
/// on an hourly grid, created-time ties broken by microseconds, rows exactly at T and T - ttl, null values, missing
/// entities, duplicate entity rows), and the edges spelled out as examples.
/// </summary>
public abstract class PointInTimeReaderContract : OfflineCapabilityContract<IPointInTimeReader>
{
    private static readonly DateTime T = PitScenario.Origin.AddHours(10);

    /// <summary>How many random scenarios the property runs on this engine.</summary>
    protected abstract int Scenarios { get; }

    /// <summary>Makes the scenario's tables in this engine's kind of source, runs it through <see cref="OfflineCapabilityContract{TCapability}.Capability"/>, and reads the rows.</summary>
    protected abstract Task<List<object?[]>> RunAsync(string root, IReadOnlyList<PitEntityRow> entities, IReadOnlyList<PitView> views, bool fullNames, bool filterByCreated);

    [Fact]
    public void Engine_matches_the_naive_reference()
    {
        var property = Prop.ForAll(PitCases.Generator().ToArbitrary(), c =>
        {
            var root = Directory.CreateDirectory(Path.Combine(Root, Guid.NewGuid().ToString("N"))).FullName;
            try
            {
                var actual = RunAsync(root, c.Entities, c.Views, c.FullNames, c.FilterByCreated).GetAwaiter().GetResult();
                var expected = PitScenario.Expected(c.Entities, c.Views, c.FilterByCreated);
                return actual.Count == expected.Count && actual.Zip(expected).All(p => p.First.SequenceEqual(p.Second));
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(Scenarios), property);
    }

    [Fact]
    public async Task A_tie_on_event_time_goes_to_the_latest_created_time()
    {
        var view = View(TimeSpan.Zero, Row(T.AddHours(-1), T.AddHours(-1), 1), Row(T.AddHours(-1), T.AddMinutes(-30), 2), Row(T.AddHours(-1), T.AddHours(-1).AddSeconds(1), 3));

        Assert.Equal([2L], await FeatureAsync(view));
    }

    [Fact]
    public async Task A_row_exactly_at_t_minus_ttl_counts_and_one_microsecond_older_does_not()
    {
        Assert.Equal([7L], await FeatureAsync(View(TimeSpan.FromHours(2), Row(T.AddHours(-2), T.AddHours(-2), 7))));
        Assert.Equal([null], await FeatureAsync(View(TimeSpan.FromHours(2), Row(T.AddHours(-2).AddMicroseconds(-1), T.AddHours(-3), 7))));
    }

    [Fact]
    public async Task A_row_at_t_counts_and_a_row_after_t_does_not()
    {
        Assert.Equal([5L], await FeatureAsync(View(TimeSpan.FromHours(1), Row(T, T, 5), Row(T.AddHours(-1), T, 4))));
        Assert.Equal([4L], await FeatureAsync(View(TimeSpan.FromHours(1), Row(T.AddMicroseconds(1), T, 5), Row(T.AddHours(-1), T, 4))));
    }

    [Fact]
    public async Task Filtering_by_created_time_falls_back_to_an_older_row_written_in_time()
    {
        var view = View(TimeSpan.Zero, Row(T.AddHours(-1), T.AddHours(1), 9), Row(T.AddHours(-2), T.AddHours(-2), 8));

        Assert.Equal([9L], await FeatureAsync(view));
        Assert.Equal([8L], await FeatureAsync(view, filterByCreated: true));
    }

    private static PitView View(TimeSpan ttl, params PitSourceRow[] rows) => new(0, ttl, Composite: false, HasCreated: true, FileFormat.Parquet, rows);

    private static PitSourceRow Row(DateTime at, DateTime created, long value) => new(1, 0, at, created, value);

    private async Task<object?[]> FeatureAsync(PitView view, bool filterByCreated = false)
    {
        var rows = await RunAsync(Root, [new PitEntityRow(1, 0, T, 0)], [view], fullNames: false, filterByCreated);
        return [.. rows.Select(r => r[4])];
    }
}
