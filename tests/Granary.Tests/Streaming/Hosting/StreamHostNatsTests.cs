using System.Text;
using Granary.Streams;
using Granary.Tests.Infrastructure;
using NATS.Client.Core;

namespace Granary.Tests.Streaming.Hosting;

/// <summary>
/// The stream host end to end from a YAML repository, against a real NATS JetStream: published messages are applied
/// online and logged offline, <c>granary stream status</c> counts a known backlog, and <c>granary stream reset</c>
/// recreates the durable so that the stream is delivered again, changing no value.
/// </summary>
[Collection(NatsCollection.Name)]
public sealed class StreamHostNatsTests(NatsServer nats) : IAsyncLifetime
{
    private readonly string _name = "H" + Guid.NewGuid().ToString("N")[..12];
    private NatsConnection _connection = null!;
    private HostedNatsStream _stream = null!;

    public async Task InitializeAsync()
    {
        _connection = new NatsConnection(new NatsOpts { Url = nats.Url });
        _stream = new HostedNatsStream(_connection, _name);
        await _stream.CreateAsync();
    }

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task Published_messages_are_served_online_and_in_training_data_with_repeats_counted_once_and_malformed_ones_dead_lettered()
    {
        using var repo = await HostedStreamRepository.NatsAsync(nats.Url, _name);
        var events = HostedEvent.Range(0, 300);
        await _stream.PublishAsync(events);
        await _stream.PublishAsync([events[5]], "again-");
        await _stream.PublishAsync(Encoding.UTF8.GetBytes("{\"user_id\": 1, \"txn_id\": \"bad\"}"), "bad");

        var status = await CliRunner.RunAsync("stream", "status", "--repo", repo.Root);
        Assert.True(status.Exit == 0, status.Err);
        Assert.Matches($@"{HostedStreamRepository.Source}\s+nats\s+302\s+0", status.Out);

        var counts = await StreamWait.RunUntilCaughtUpAsync(repo.Root);

        Assert.Equal(new StreamSourceCounts(HostedStreamRepository.Source, 300, 1, 0, 1), counts);
        var end = HostedEvent.T0.AddSeconds(300);
        await HostedStreamAssert.OnlineEqualsReferenceAsync(repo.Root, events, end);
        await HostedStreamAssert.OfflineEqualsReferenceAsync(repo.Root, events, HostedEvent.T0.AddSeconds(100), end);
    }

    [Fact]
    public async Task Reset_delivers_the_stream_again_and_it_changes_no_value()
    {
        using var repo = await HostedStreamRepository.NatsAsync(nats.Url, _name);
        var events = HostedEvent.Range(0, 120);
        await _stream.PublishAsync(events);
        await StreamWait.RunUntilCaughtUpAsync(repo.Root);

        await HostedStreamAssert.ResetChangesNothingAsync(repo.Root, events, "2000-01-01", "nats", events.Count);
    }
}
