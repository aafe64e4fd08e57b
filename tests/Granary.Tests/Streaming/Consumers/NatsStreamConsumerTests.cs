using Granary.Core.Model;
using Granary.Streaming.Sources;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;

namespace Granary.Tests.Streaming.Consumers;

/// <summary>
/// The NATS JetStream consumer against a real nats-server: every message delivered, messages of a failed or
/// abandoned batch redelivered after ack_wait to the next consumer of the durable, and lag as the consumer info says.
/// </summary>
[Collection(NatsCollection.Name)]
public sealed class NatsStreamConsumerTests(NatsServer nats) : IAsyncLifetime
{
    private readonly string _name = $"S{Guid.NewGuid():N}"[..12];
    private NatsConnection _connection = null!;
    private NatsTestStreams _streams = null!;

    public async Task InitializeAsync()
    {
        _connection = new NatsConnection(new NatsOpts { Url = nats.Url });
        await _connection.ConnectAsync();
        _streams = new NatsTestStreams(_connection);
    }

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task Every_message_is_delivered_and_acknowledged_across_many_batches()
    {
        var source = await _streams.CreateAsync(_name);
        await _streams.PublishAsync(source, 0, 1000);
        var collected = new CollectedMessages();
        await using var consumer = Consumer(source, batchSize: 64);

        await CollectedMessages.RunUntilAsync(consumer, collected.Record, () => collected.Ids.Count >= 1000);

        Assert.Equal(Enumerable.Range(0, 1000).ToHashSet(), collected.All.Select(m => NatsTestStreams.NumberOf(m.Body)).ToHashSet());
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToHashSet(), collected.Ids);
        Assert.Equal(new SourceLag("clicks", 0, 0), await LagSettledAsync(consumer));
    }

    [Fact]
    public async Task A_failed_batch_is_not_acknowledged_and_is_redelivered_to_the_next_consumer_of_the_durable()
    {
        var source = await _streams.CreateAsync(_name);
        await _streams.PublishAsync(source, 0, 30);
        var failedIds = new HashSet<string>();
        await using (var failing = Consumer(source, batchSize: 10))
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => failing.RunAsync(
                (batch, _) =>
                {
                    failedIds.UnionWith(batch.Select(m => m.Id));
                    throw new InvalidOperationException("handler failed");
                },
                CancellationToken.None));
        }

        Assert.NotEmpty(failedIds);
        var collected = new CollectedMessages();
        await using var next = Consumer(source, batchSize: 10);
        await CollectedMessages.RunUntilAsync(next, collected.Record, () => collected.Ids.Count >= 30);

        Assert.Equal(Enumerable.Range(0, 30).ToHashSet(), collected.All.Select(m => NatsTestStreams.NumberOf(m.Body)).ToHashSet());
        Assert.Equal(failedIds, collected.All.Where(m => m.Redelivered).Select(m => m.Id).ToHashSet());
        Assert.Equal(new SourceLag("clicks", 0, 0), await LagSettledAsync(next));
    }

    [Fact]
    public async Task Lag_counts_undelivered_and_unacknowledged_messages()
    {
        var source = await _streams.CreateAsync(_name);
        await _streams.PublishAsync(source, 0, 10);
        await using var consumer = Consumer(source, batchSize: 4);
        Assert.Equal(new SourceLag("clicks", 10, 0), await consumer.GetLagAsync(CancellationToken.None));

        var holding = new TaskCompletionSource<int>();
        using var stop = new CancellationTokenSource();
        var run = consumer.RunAsync(async (batch, ct) =>
        {
            holding.TrySetResult(batch.Count);
            await Task.Delay(Timeout.Infinite, ct);
        }, stop.Token);
        var held = await holding.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var lag = await consumer.GetLagAsync(CancellationToken.None);
        await stop.CancelAsync();
        await run;

        Assert.Equal(4, held);
        Assert.Equal(new SourceLag("clicks", 6, 4), lag);
    }

    private NatsStreamConsumer Consumer(NatsSource source, int batchSize) => new(
        source,
        _connection,
        ownsConnection: false,
        new StreamConsumerOptions { BatchSize = batchSize, RedeliverAfter = TimeSpan.FromSeconds(1), PollInterval = TimeSpan.FromSeconds(1) },
        NullLogger.Instance);

    // Acknowledgements are sent without waiting for the server's reply: the consumer info catches up a moment later.
    private static async Task<SourceLag> LagSettledAsync(IStreamConsumer consumer)
    {
        var lag = await consumer.GetLagAsync(CancellationToken.None);
        for (var i = 0; i < 50 && lag.Total != 0; i++)
        {
            await Task.Delay(100);
            lag = await consumer.GetLagAsync(CancellationToken.None);
        }

        return lag;
    }
}
