using Granary.Cli.Commands;
using Granary.Cli.Quickstart;
using Granary.Cli.Templates;
using Granary.Core.Time;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Quickstart;

/// <summary>
/// The quickstart's live stream step on the demo repository: what it reports online before and after its second push,
/// and in the training set, equals a naive count of the clicks it pushed, with lateness and repeated ids applied by
/// their definitions (docs/streaming.md), over the windows of <c>user_clicks</c>.
/// </summary>
public sealed class QuickstartStreamTests : IDisposable
{
    private static readonly DemoDataOptions SmallData = new() { Users = 200, Ads = 20, Impressions = 5_000 };

    // user_clicks: count over 1h and 1d, both with a hop of 1 minute, allowed lateness 10 minutes.
    private static readonly TimeSpan[] Windows = [TimeSpan.FromHours(1), TimeSpan.FromDays(1)];
    private static readonly TimeSpan Hop = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Lateness = TimeSpan.FromMinutes(10);

    private readonly string _root = Directory.CreateTempSubdirectory("granary-quickstart-stream-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    // Half an hour after the data ends, so the day window reaches into the generated clicks; and well after it.
    [InlineData(30)]
    [InlineData(3 * 24 * 60 + 7)]
    public async Task Before_after_and_training_values_equal_a_naive_count_of_the_accepted_pushed_clicks(int minutesAfterData)
    {
        await RepositoryTemplates.WriteAsync(RepositoryTemplates.Adtech, _root, SmallData);
        var clock = new FakeTimeProvider(SmallData.Anchor.AddMinutes(minutesAfterData).AddSeconds(17));
        await using var store = new FeatureStoreBuilder(_root).UseTimeProvider(clock).Build();
        await store.ApplyAsync();
        using var output = new StringWriter();

        var result = await QuickstartStream.RunAsync(store, clock, output, CancellationToken.None);

        var (accepted, late) = Accept(result.Batches);
        Assert.Equal(late, result.LateRows);
        Assert.Equal(Counts(accepted[0], result.ReadAt), result.Before);
        Assert.Equal(Counts([.. accepted[0], .. accepted[1]], result.ReadAt), result.After);
        Assert.Equal(result.After, result.Training);
        var printed = output.ToString().ReplaceLineEndings("\n").Split('\n');
        for (var f = 0; f < QuickstartStream.Features.Length; f++)
        {
            Assert.Contains(printed, line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .SequenceEqual([QuickstartStream.Features[f], $"{result.Before[f]}", $"{result.After[f]}", $"{result.Training[f]}"]));
        }
    }

    /// <summary>
    /// Per batch, the clicks that count: not older than the newest click seen before them by more than the allowed
    /// lateness, and with an impression id not counted before; and how many of each batch were late.
    /// </summary>
    private static (List<PushedClick>[] Accepted, int[] Late) Accept(IReadOnlyList<PushedClick[]> batches)
    {
        var newest = DateTimeOffset.MinValue;
        var ids = new HashSet<long>();
        var accepted = new List<PushedClick>[batches.Count];
        var late = new int[batches.Count];
        for (var b = 0; b < batches.Count; b++)
        {
            accepted[b] = [];
            foreach (var click in batches[b])
            {
                newest = click.At > newest ? click.At : newest;
                if (newest - click.At > Lateness)
                {
                    late[b]++;
                }
                else if (ids.Add(click.ImpressionId))
                {
                    accepted[b].Add(click);
                }
            }
        }

        return (accepted, late);
    }

    /// <summary>The window's definition: at t, the events with floor((t - W) / h) * h &lt;= ts &lt;= t; null when none ever.</summary>
    private static long?[] Counts(List<PushedClick> clicks, DateTimeOffset t)
    {
        var counts = new long?[Windows.Length];
        var micros = UtcMicros.From(t);
        for (var w = 0; w < Windows.Length; w++)
        {
            var hop = Hop.Ticks / TimeSpan.TicksPerMicrosecond;
            var start = (long)Math.Floor((micros - (Windows[w].Ticks / TimeSpan.TicksPerMicrosecond)) / (double)hop) * hop;
            counts[w] = clicks.Count == 0 ? null : clicks.Count(c => UtcMicros.From(c.At) >= start && UtcMicros.From(c.At) <= micros);
        }

        return counts;
    }
}
