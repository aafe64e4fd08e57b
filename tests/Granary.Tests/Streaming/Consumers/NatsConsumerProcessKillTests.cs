using Granary.Core.Model;
using Granary.Streaming.Sources;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;

namespace Granary.Tests.Streaming.Consumers;

[Collection(NatsCollection.Name)]
public sealed class NatsConsumerProcessKillTests(NatsServer nats) : ConsumerProcessKillTests, IAsyncLifetime
{
    private readonly string _name = $"K{Guid.NewGuid():N}"[..12];
    private NatsConnection _connection = null!;
    private NatsSource _source = null!;

    public async Task InitializeAsync()
    {
        _connection = new NatsConnection(new NatsOpts { Url = nats.Url });
        await _connection.ConnectAsync();
    }

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    protected override async Task<IReadOnlyCollection<string>> PublishAsync(int count)
    {
        var streams = new NatsTestStreams(_connection);
        _source = await streams.CreateAsync(_name);
        await streams.PublishAsync(_source, 0, count);
        return Enumerable.Range(1, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
    }

    protected override string[] ChildArguments(string output) => ["nats", nats.Url, _source.Stream, _source.Subject, _source.Durable, output];

    // The same ack_wait as the killed process, so that taking over the durable does not change its configuration.
    private protected override IStreamConsumer Successor() => new NatsStreamConsumer(
        _source,
        _connection,
        ownsConnection: false,
        new StreamConsumerOptions { BatchSize = 100, RedeliverAfter = TimeSpan.FromSeconds(2) },
        NullLogger.Instance);
}
