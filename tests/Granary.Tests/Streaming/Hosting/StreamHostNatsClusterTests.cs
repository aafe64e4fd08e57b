using Granary.Streams;
using Granary.Tests.Infrastructure;
using NATS.Client.Core;

namespace Granary.Tests.Streaming.Hosting;

/// <summary>
/// Kills the stream's leader in a three-node NATS cluster (SIGKILL) while the host ingests a stream replicated on all
/// three, publishing more afterwards: once the cluster has a new leader the host catches up, and online values and
/// training data equal the reference over every event. The host runs in this process (the node is what dies); the
/// class starts a cluster of its own, since it leaves one node dead.
/// </summary>
public sealed class StreamHostNatsClusterTests : IAsyncLifetime
{
    private const int Before = 600;
    private const int After = 600;

    private readonly NatsCluster _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task Killing_the_stream_leader_while_ingesting_loses_and_double_counts_nothing()
    {
        const string name = "CLUSTERED";
        await using var connection = new NatsConnection(new NatsOpts { Url = _cluster.Url });
        var stream = new HostedNatsStream(connection, name);
        await stream.CreateAsync(replicas: 3);
        using var repo = await HostedStreamRepository.NatsAsync(_cluster.Url, name);
        var events = HostedEvent.Range(0, Before + After);
        await stream.PublishAsync(events.Take(Before));

        StreamSourceCounts? counts = null;
        await using (var store = new FeatureStoreBuilder(repo.Root).Build())
        {
            using var stop = new CancellationTokenSource();
            var run = store.RunStreamsAsync(new StreamRunOptions { BatchSize = 20, RedeliverAfter = TimeSpan.FromSeconds(2), Summary = c => counts = Assert.Single(c) }, stop.Token);
            await StreamWait.UntilAsync(() => StreamWait.UndeliveredAtMostAsync(store, Before * 2 / 3), "a third is delivered", run);
            var leader = (await stream.JetStream.GetStreamAsync(name)).Info.Cluster?.Leader;
            var victim = _cluster.Nodes.Single(n => n.Name == leader);
            victim.Kill();

            await stream.PublishAsync(events.Skip(Before));
            await StreamWait.UntilCaughtUpAsync(store, run, seconds: 40);
            await stop.CancelAsync();
            await run;
            Assert.False(victim.IsRunning);
        }

        Assert.Equal(Before + After, counts!.Applied);
        var end = HostedEvent.T0.AddSeconds(Before + After);
        await HostedStreamAssert.OnlineEqualsReferenceAsync(repo.Root, events, end);
        await HostedStreamAssert.OfflineEqualsReferenceAsync(repo.Root, events, HostedEvent.T0.AddSeconds(Before), end);
    }
}
