using System.Diagnostics;
using Granary.Core.Errors;
using Granary.Streams;

namespace Granary.Tests.Streaming.Hosting;

/// <summary>Waits for the consumers to get somewhere, failing with what was awaited (the time only bounds the wait; nothing asserts on it).</summary>
internal static class StreamWait
{
    public static async Task UntilAsync(Func<Task<bool>> done, string what, Task? run = null, int seconds = 20)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            if (run is { IsCompleted: true })
            {
                await run;
                Assert.Fail($"the consumers stopped before {what}");
            }

            if (await done())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"timed out after {seconds} s waiting until {what}");
    }

    /// <summary>Until the sources have nothing undelivered or unacknowledged.</summary>
    public static Task UntilCaughtUpAsync(FeatureStore store, Task? run = null, int seconds = 20) =>
        UntilAsync(
            async () =>
            {
                try
                {
                    return (await store.GetStreamLagAsync()).All(l => l.Undelivered == 0 && l.Unacknowledged == 0);
                }
                catch (GranaryException)
                {
                    // A cluster electing a leader answers again shortly.
                    return false;
                }
            },
            "every message is applied",
            run,
            seconds);

    /// <summary>Runs the host in this process until every message is applied, stops it, and returns its final counts.</summary>
    public static async Task<StreamSourceCounts> RunUntilCaughtUpAsync(string root, StreamRunOptions? options = null, int seconds = 20)
    {
        StreamSourceCounts? counts = null;
        await using var store = new FeatureStoreBuilder(root).Build();
        using var stop = new CancellationTokenSource();
        var run = store.RunStreamsAsync(
            new StreamRunOptions { ConsumerName = options?.ConsumerName, RedeliverAfter = options?.RedeliverAfter ?? TimeSpan.FromSeconds(30), Summary = c => counts = Assert.Single(c) },
            stop.Token);
        await UntilCaughtUpAsync(store, run, seconds);
        await stop.CancelAsync();
        await run;
        return counts!;
    }

    /// <summary>The single source's lag.</summary>
    public static async Task<StreamSourceLag> LagAsync(FeatureStore store) => Assert.Single(await store.GetStreamLagAsync());

    /// <summary>Whether the single source has at most <paramref name="undelivered"/> messages left; false while a cluster cannot answer (electing a leader).</summary>
    public static async Task<bool> UndeliveredAtMostAsync(FeatureStore store, long undelivered)
    {
        try
        {
            return (await LagAsync(store)).Undelivered <= undelivered;
        }
        catch (GranaryException)
        {
            return false;
        }
    }
}
