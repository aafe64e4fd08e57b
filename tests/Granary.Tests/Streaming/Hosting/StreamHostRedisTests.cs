using Granary.Streams;
using Granary.Tests.Infrastructure;
using StackExchange.Redis;

namespace Granary.Tests.Streaming.Hosting;

/// <summary>
/// The stream host end to end from a YAML repository, against a real Redis: what is XADDed is applied online and
/// logged offline, <c>granary stream status</c> counts a known backlog, a stop finishes the batch in hand, and
/// <c>granary stream reset</c> replays without counting anything twice.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class StreamHostRedisTests(RedisServer redis) : IAsyncLifetime
{
    private readonly string _stream = RedisServer.NewProject();
    private ConnectionMultiplexer _connection = null!;

    public async Task InitializeAsync() => _connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task Added_entries_are_served_online_and_in_training_data_with_repeats_counted_once_and_malformed_ones_dead_lettered()
    {
        using var repo = await HostedStreamRepository.RedisAsync(redis.Endpoint, _stream);
        var events = HostedEvent.Range(0, 300);
        await AddAsync(events);
        await AddAsync([events[5]]);
        await _connection.GetDatabase().StreamAddAsync(_stream, [new NameValueEntry("user_id", "1"), new NameValueEntry("event_timestamp", "2026-03-01T12:00:00Z"), new NameValueEntry("txn_id", "bad"), new NameValueEntry("amount", "lots")]);

        var status = await CliRunner.RunAsync("stream", "status", "--repo", repo.Root);
        Assert.True(status.Exit == 0, status.Err);
        Assert.Matches($@"{HostedStreamRepository.Source}\s+redis_stream\s+302\s+0", status.Out);

        var counts = await StreamWait.RunUntilCaughtUpAsync(repo.Root);

        Assert.Equal(new StreamSourceCounts(HostedStreamRepository.Source, 300, 1, 0, 1), counts);
        var end = HostedEvent.T0.AddSeconds(300);
        await HostedStreamAssert.OnlineEqualsReferenceAsync(repo.Root, events, end);
        await HostedStreamAssert.OnlineEqualsReferenceAsync(repo.Root, events, end.AddMinutes(70));
        await HostedStreamAssert.OfflineEqualsReferenceAsync(repo.Root, events, HostedEvent.T0.AddSeconds(100), end, end.AddMinutes(70));
    }

    [Fact]
    public async Task A_stop_mid_stream_finishes_and_acknowledges_the_batch_in_hand_and_a_restart_goes_on_from_there()
    {
        using var repo = await HostedStreamRepository.RedisAsync(redis.Endpoint, _stream);
        var events = HostedEvent.Range(0, 3000);
        await AddAsync(events);

        StreamSourceCounts? counts = null;
        await using (var store = new FeatureStoreBuilder(repo.Root).Build())
        {
            using var stop = new CancellationTokenSource();
            var run = store.RunStreamsAsync(new StreamRunOptions { BatchSize = 50, Summary = c => counts = Assert.Single(c) }, stop.Token);
            await StreamWait.UntilAsync(async () => (await StreamWait.LagAsync(store)).Undelivered < 2500, "a sixth is delivered", run);
            await stop.CancelAsync();
            await run;

            // Nothing was left half-done: every delivered entry is acknowledged and counted, the rest is still to come.
            var lag = await StreamWait.LagAsync(store);
            Assert.Equal(0, lag.Unacknowledged);
            Assert.InRange(lag.Undelivered!.Value, 1, 2500);
            Assert.Equal(events.Count - lag.Undelivered, counts!.Applied);
        }

        counts = await StreamWait.RunUntilCaughtUpAsync(repo.Root);

        Assert.Equal(0, counts.Duplicates);
        var end = HostedEvent.T0.AddSeconds(events.Count);
        await HostedStreamAssert.OnlineEqualsReferenceAsync(repo.Root, events, end);
        await HostedStreamAssert.OfflineEqualsReferenceAsync(repo.Root, events, end);
    }

    [Fact]
    public async Task Reset_replays_the_entries_from_its_instant_and_they_change_no_value()
    {
        using var repo = await HostedStreamRepository.RedisAsync(redis.Endpoint, _stream);
        var events = HostedEvent.Range(0, 200);

        // Entry ids of our own, one millisecond each from 1970-01-01T00:00:01Z, so that T names an exact entry.
        var db = _connection.GetDatabase();
        for (var i = 0; i < events.Count; i++)
        {
            await db.StreamAddAsync(_stream, HostedStreamRepository.Entry(events[i]), $"{1000 + i}-0");
        }

        await StreamWait.RunUntilCaughtUpAsync(repo.Root);

        // From the 151st entry on: 50 entries, ids 1150-0 to 1199-0.
        await HostedStreamAssert.ResetChangesNothingAsync(repo.Root, events, "1970-01-01T00:00:01.150Z", "redis_stream", 50, HostedEvent.T0.AddSeconds(160));
    }

    [Fact]
    public async Task Sigterm_stops_stream_run_after_its_batch_with_a_summary_line_and_exit_code_0()
    {
        using var repo = await HostedStreamRepository.RedisAsync(redis.Endpoint, _stream);
        var events = HostedEvent.Range(0, 3000);
        await AddAsync(events);

        // The real command in a child process (StreamRunProcess), stopped as a service manager stops it.
        await using var store = new FeatureStoreBuilder(repo.Root).Build();
        using var child = StreamRunProcess.StartCli(repo.Root);
        await StreamWait.UntilAsync(async () => (await StreamWait.LagAsync(store)).Undelivered < 2800, "some entries are delivered");
        var (exit, output) = await child.TerminateAsync();

        Assert.Equal(0, exit);
        var lag = await StreamWait.LagAsync(store);
        Assert.Equal(0, lag.Unacknowledged);
        Assert.Matches($@"\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\dZ {HostedStreamRepository.Source}: {events.Count - lag.Undelivered} applied, 0 duplicates, 0 late, 0 dead-lettered\n", output);
        Assert.EndsWith("Stopped.\n", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("status", "nope", "no feature view 'nope'")]
    [InlineData("run", "txn_profile", "'txn_profile' is not a stream feature view")]
    [InlineData("reset", "pushed_spend", "reads push source 'txn_push'")]
    [InlineData("reset", "nope", "no feature view 'nope'")]
    public async Task A_view_that_has_no_stream_to_consume_is_refused_by_name(string command, string view, string message)
    {
        using var repo = await HostedStreamRepository.RedisAsync(redis.Endpoint, _stream);
        string[] args = command == "reset" ? ["stream", "reset", view, "--to", "2026-01-01"] : ["stream", command, "--views", view];

        var result = await CliRunner.RunAsync([.. args, "--repo", repo.Root]);

        Assert.Equal(1, result.Exit);
        Assert.Contains(message, result.Err, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Status_of_an_unreachable_source_fails_naming_it()
    {
        using var repo = await HostedStreamRepository.RedisAsync($"127.0.0.1:{LoopbackPorts.Free()}", _stream);

        var result = await CliRunner.RunAsync("stream", "status", "--repo", repo.Root);

        Assert.Equal(1, result.Exit);
        Assert.Contains($"Stream source '{HostedStreamRepository.Source}' (redis_stream at 127.0.0.1:", result.Err, StringComparison.Ordinal);
        Assert.Single(result.Err.Trim().Split('\n'));
    }

    private Task AddAsync(IEnumerable<HostedEvent> events) => HostedStreamRepository.AddAsync(_connection.GetDatabase(), _stream, events);
}
