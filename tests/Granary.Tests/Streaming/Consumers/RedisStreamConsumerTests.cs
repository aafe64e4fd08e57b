using Granary.Core.Model;
using Granary.Streaming.Sources;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Granary.Tests.Streaming.Consumers;

/// <summary>
/// The Redis Streams consumer against a real redis-server: every entry delivered, a batch acknowledged only after
/// its handler completed, pending entries of a failed or abandoned consumer delivered again, and lag as XINFO says.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RedisStreamConsumerTests(RedisServer redis) : IAsyncLifetime
{
    private readonly string _stream = RedisServer.NewProject();
    private ConnectionMultiplexer _connection = null!;

    private IDatabase Db => _connection.GetDatabase();

    public async Task InitializeAsync() => _connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task Every_entry_is_delivered_and_acknowledged_across_many_batches()
    {
        var added = await AddAsync(1000);
        var collected = new CollectedMessages();
        await using var consumer = Consumer("c1", batchSize: 64);

        await CollectedMessages.RunUntilAsync(consumer, collected.Record, () => collected.Ids.Count >= added.Count);

        Assert.Equal(added.ToHashSet(), collected.Ids);
        Assert.Equal(added.Count, collected.All.Count);
        Assert.Equal(0, (await Db.StreamPendingAsync(_stream, "granary")).PendingMessageCount);
        Assert.Equal(new SourceLag("events", 0, 0), await consumer.GetLagAsync(CancellationToken.None));
        var first = collected.All[0];
        Assert.Equal("7", first.Fields.Single(f => f.Key == "n").Value);
    }

    [Fact]
    public async Task A_failed_batch_stays_pending_and_comes_back_to_the_consumer_restarted_under_the_same_name()
    {
        var added = await AddAsync(30);
        await using (var failing = Consumer("c1", batchSize: 10))
        {
            var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                failing.RunAsync((_, _) => throw new InvalidOperationException("handler failed"), CancellationToken.None));
            Assert.Equal("handler failed", failure.Message);
        }

        var pending = await Db.StreamPendingAsync(_stream, "granary");
        Assert.Equal(10, pending.PendingMessageCount);

        var collected = new CollectedMessages();
        await using var restarted = Consumer("c1", batchSize: 10);
        await CollectedMessages.RunUntilAsync(restarted, collected.Record, () => collected.Ids.Count >= added.Count);

        Assert.Equal(added.ToHashSet(), collected.Ids);
        var redelivered = collected.All.Where(m => m.Redelivered).Select(m => m.Id).ToHashSet();
        Assert.Equal(added.Take(10).ToHashSet(), redelivered);
        Assert.Equal(0, (await Db.StreamPendingAsync(_stream, "granary")).PendingMessageCount);
    }

    [Fact]
    public async Task Entries_left_pending_by_an_abandoned_consumer_are_claimed_by_another_once_stale()
    {
        var added = await AddAsync(25);
        var taken = new TaskCompletionSource<int>();
        await using (var abandoned = Consumer("dead", batchSize: 25))
        {
            using var stop = new CancellationTokenSource();
            var run = abandoned.RunAsync(async (batch, ct) =>
            {
                taken.TrySetResult(batch.Count);
                await Task.Delay(Timeout.Infinite, ct);
            }, stop.Token);
            Assert.Equal(25, await taken.Task.WaitAsync(TimeSpan.FromSeconds(30)));
            await stop.CancelAsync();
            await run;
        }

        var collected = new CollectedMessages();
        await using var survivor = Consumer("alive", batchSize: 10, redeliverAfter: TimeSpan.FromMilliseconds(300));
        await CollectedMessages.RunUntilAsync(survivor, collected.Record, () => collected.Ids.Count >= added.Count);

        Assert.Equal(added.ToHashSet(), collected.Ids);
        Assert.All(collected.All, m => Assert.True(m.Redelivered, $"{m.Id} was claimed, so it is a redelivery"));
        Assert.Equal(0, (await Db.StreamPendingAsync(_stream, "granary")).PendingMessageCount);
    }

    [Fact]
    public async Task Lag_counts_undelivered_and_unacknowledged_entries()
    {
        await AddAsync(10);
        await using var consumer = Consumer("c1", batchSize: 4);
        Assert.Equal(new SourceLag("events", 10, 0), await consumer.GetLagAsync(CancellationToken.None));

        var holding = new TaskCompletionSource();
        using var stop = new CancellationTokenSource();
        var run = consumer.RunAsync(async (_, ct) =>
        {
            holding.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        }, stop.Token);
        await holding.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var lag = await consumer.GetLagAsync(CancellationToken.None);
        await stop.CancelAsync();
        await run;

        Assert.Equal(new SourceLag("events", 6, 4), lag);
        Assert.Equal(10, lag.Total);
    }

    private RedisStreamConsumer Consumer(string name, int batchSize, TimeSpan? redeliverAfter = null) => new(
        new RedisStreamSource { Name = "events", Connection = redis.ConnectionString, Stream = _stream, Group = "granary", BatchSourceName = "log" },
        _connection,
        ownsConnection: false,
        new StreamConsumerOptions
        {
            ConsumerName = name,
            BatchSize = batchSize,
            RedeliverAfter = redeliverAfter ?? TimeSpan.FromSeconds(30),
            ClaimInterval = TimeSpan.FromMilliseconds(100),
        },
        NullLogger.Instance);

    /// <summary>Adds entries and returns their ids in the order added.</summary>
    private async Task<List<string>> AddAsync(int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await Db.StreamAddAsync(_stream, [new NameValueEntry("n", 7 + i), new NameValueEntry("user_id", i % 13)])).ToString());
        }

        return ids;
    }
}
