using Granary.Streams;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Streaming.Hosting;

/// <summary>
/// Kills <c>granary stream run</c> (a real child process, <see cref="StreamRunProcess"/>) with SIGKILL part-way
/// through a backlog, then lets a consumer under the same name finish it in this process: online values and training
/// data equal the reference over every event published, so nothing was lost and nothing counted twice. One subclass
/// per source.
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

        StreamSourceLag atKill;
        await using (var store = new FeatureStoreBuilder(repo.Root).Build())
        using (var child = StreamRunProcess.Start(repo.Root))
        {
            await StreamWait.UntilAsync(async () => (await StreamWait.LagAsync(store)).Undelivered <= Events * 3 / 4, "a quarter is delivered", seconds: 25);
            await child.KillAsync();
            atKill = await StreamWait.LagAsync(store);
        }

        Assert.True(atKill.Undelivered > 0, $"the child had consumed everything before it was killed ({atKill})");
        await StreamWait.RunUntilCaughtUpAsync(repo.Root, new StreamRunOptions { ConsumerName = "worker-1", RedeliverAfter = TimeSpan.FromSeconds(2) });

        var end = HostedEvent.T0.AddSeconds(Events);
        await HostedStreamAssert.OnlineEqualsReferenceAsync(repo.Root, events, end);
        await HostedStreamAssert.OfflineEqualsReferenceAsync(repo.Root, events, HostedEvent.T0.AddSeconds(Events / 2), end);
    }
}
