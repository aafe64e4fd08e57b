using Granary.Streams;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Streaming.Hosting;

/// <summary>
/// Kills stream hosts in child processes (<see cref="StreamRunProcess"/>) with SIGKILL part-way through a backlog:
/// first <c>granary stream run</c> itself, wherever it is in a batch; then the host's batch handler in
/// <c>Granary.Tests.ConsumerProcess</c>, held after a batch was logged and applied and before it was acknowledged.
/// A consumer under the same name then finishes in this process: online values and training data equal the
/// reference over every event published, so nothing was lost and nothing counted twice. One subclass per source.
/// </summary>
public abstract class StreamHostKillTests
{
    private const int Events = 2000;

    /// <summary>A repository reading a new, empty stream of this source.</summary>
    private protected abstract Task<TempRepository> CreateRepositoryAsync();

    private protected abstract Task PublishAsync(IReadOnlyList<HostedEvent> events);

    [Fact]
    public async Task A_consumer_killed_mid_stream_and_restarted_loses_and_double_counts_nothing()
    {
        using var repo = await CreateRepositoryAsync();
        var events = HostedEvent.Range(0, Events);
        await PublishAsync(events);

        StreamSourceLag atFirstKill, atSecondKill;
        await using (var store = new FeatureStoreBuilder(repo.Root).Build())
        {
            using (var cli = StreamRunProcess.StartCli(repo.Root))
            {
                await StreamWait.UntilAsync(async () => (await StreamWait.LagAsync(store)).Undelivered <= Events * 3 / 4, "a quarter is delivered", seconds: 25);
                await cli.KillAsync();
                atFirstKill = await StreamWait.LagAsync(store);
            }

            using (var holding = StreamRunProcess.StartHolding(repo.Root, Events / 4))
            {
                await StreamWait.UntilAsync(() => Task.FromResult(holding.Output.Contains("#holding", StringComparison.Ordinal)), "the handler holds an applied batch", seconds: 25);
                await holding.KillAsync();
                atSecondKill = await StreamWait.LagAsync(store);
            }
        }

        Assert.True(atFirstKill.Undelivered > 0, $"stream run had consumed everything before it was killed ({atFirstKill})");
        Assert.True(atSecondKill is { Unacknowledged: > 0, Undelivered: > 0 }, $"the held batch was acknowledged, or nothing was left ({atSecondKill})");
        await StreamWait.RunUntilCaughtUpAsync(repo.Root, new StreamRunOptions { ConsumerName = "worker-1", RedeliverAfter = TimeSpan.FromSeconds(2) });

        var end = HostedEvent.T0.AddSeconds(Events);
        await HostedStreamAssert.OnlineEqualsReferenceAsync(repo.Root, events, end);
        await HostedStreamAssert.OfflineEqualsReferenceAsync(repo.Root, events, HostedEvent.T0.AddSeconds(Events / 2), end);
    }
}
