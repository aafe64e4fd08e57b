using Granary.Core.Model;
using Granary.Core.Time;
using Granary.Core.Values;
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

    [Fact]
    public async Task Decoded_entries_reach_the_ingestor_and_a_malformed_one_is_dead_lettered_and_acknowledged()
    {
        var db = Db;
        await db.StreamAddAsync(_stream, [new("user_id", 1), new("merchant_id", "m-1"), new("ts", "2026-12-02T08:00:00Z"), new("amount", "12.5")]);
        var malformedId = (await db.StreamAddAsync(_stream, [new("user_id", 2), new("merchant_id", "m-2"), new("ts", "2026-12-02T08:00:01Z"), new("amount", "lots")])).ToString();
        await db.StreamAddAsync(_stream, "json", """{"user_id": 3, "merchant_id": "m-3", "ts": 1796198402, "quantity": 4}""");
        var events = new List<(EntityKey Entity, long Micros, FeatureValue Amount, FeatureValue Quantity, string? Id)>();
        var shape = ConsumerTestViews.Shape();
        var amount = IndexOf(shape, "amount");
        var quantity = IndexOf(shape, "quantity");
        var decoding = new DecodingBatchHandler("events", new StreamEventDecoder(shape), (batch, _) =>
        {
            foreach (var e in batch)
            {
                events.Add((e.Entity, e.EventMicros, e.Columns[amount], e.Columns[quantity], e.EventId));
            }

            return ValueTask.CompletedTask;
        }, NullLogger.Instance);
        await using var consumer = Consumer("c1", batchSize: 10);

        await CollectedMessages.RunUntilAsync(consumer, decoding.HandleAsync, () => events.Count + decoding.DeadLettered >= 3);

        Assert.Equal(1, decoding.DeadLettered);
        Assert.Equal(2, events.Count);
        Assert.Equal(EntityKey.Create(FeatureValue.Int64(1), FeatureValue.String("m-1")), events[0].Entity);
        Assert.Equal(UtcMicros.From(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero)), events[0].Micros);
        Assert.Equal(FeatureValue.Float64(12.5), events[0].Amount);
        Assert.True(events[0].Quantity.IsNull);
        Assert.Equal(EntityKey.Create(FeatureValue.Int64(3), FeatureValue.String("m-3")), events[1].Entity);
        Assert.Equal(1_796_198_402_000_000, events[1].Micros);
        Assert.Equal(FeatureValue.Int32(4), events[1].Quantity);
        Assert.DoesNotContain(events, e => e.Id == malformedId);
        Assert.Equal(0, (await db.StreamPendingAsync(_stream, "granary")).PendingMessageCount);
    }

    private static int IndexOf(StreamEventShape shape, string column)
    {
        for (var i = 0; i < shape.Columns.Count; i++)
        {
            if (shape.Columns[i].Name == column)
            {
                return i;
            }
        }

        throw new ArgumentException($"no column {column}", nameof(column));
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
