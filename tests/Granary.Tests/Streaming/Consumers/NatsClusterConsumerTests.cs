using System.Collections.Concurrent;
using Granary.Streaming.Sources;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Granary.Tests.Streaming.Consumers;

/// <summary>
/// Kills one node of a three-node NATS cluster (SIGKILL) while the consumer reads a stream replicated on all three:
/// every message published, before and after the kill, still reaches the handler. The test starts a cluster of
/// its own, since it leaves one node dead.
/// </summary>
public sealed class NatsClusterConsumerTests : IAsyncLifetime
{
    private const int Before = 600;
    private const int After = 600;

    private readonly NatsCluster _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task Killing_the_stream_leader_while_consuming_loses_no_message()
    {
        await using var publisher = new NatsConnection(new NatsOpts { Url = _cluster.Url });
        await using var consuming = new NatsConnection(new NatsOpts { Url = _cluster.Url });
        var streams = new NatsTestStreams(publisher);
        var source = await streams.CreateAsync("CLICKS", replicas: 3);
        await streams.PublishAsync(source, 0, Before);

        var numbers = new ConcurrentDictionary<int, int>();
        await using var consumer = new NatsStreamConsumer(
            source,
            consuming,
            ownsConnection: false,
            new StreamConsumerOptions { BatchSize = 50, RedeliverAfter = TimeSpan.FromSeconds(2), PollInterval = TimeSpan.FromSeconds(1), RetryDelay = TimeSpan.FromMilliseconds(200) },
            NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var run = consumer.RunAsync(
            async (batch, ct) =>
            {
                foreach (var message in batch)
                {
                    numbers.AddOrUpdate(NatsTestStreams.NumberOf(message.Body), 1, (_, seen) => seen + 1);
                }

                // Slow enough that the kill lands mid-stream, with batches in flight and unacknowledged.
                await Task.Delay(20, ct);
            },
            stop.Token);

        await WaitForAsync(() => numbers.Count >= Before / 3, run);
        var leader = (await streams.JetStream.GetStreamAsync(source.Stream)).Info.Cluster?.Leader;
        var victim = _cluster.Nodes.Single(n => n.Name == leader);
        victim.Kill();

        await streams.PublishAsync(source, Before, After);
        await WaitForAsync(() => numbers.Count >= Before + After, run);
        await stop.CancelAsync();
        await run;

        Assert.False(victim.IsRunning);
        Assert.Equal(Enumerable.Range(0, Before + After).ToHashSet(), numbers.Keys.ToHashSet());
    }

    private static async Task WaitForAsync(Func<bool> done, Task run)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!done() && !run.IsCompleted && waited.Elapsed < TimeSpan.FromSeconds(90))
        {
            await Task.Delay(20);
        }

        if (run.IsFaulted)
        {
            await run;
        }

        Assert.True(done(), "the consumer did not receive every message within 90 s of the kill");
    }
}
