using Granary.Tests.Infrastructure;
using NATS.Client.Core;

namespace Granary.Tests.Streaming.Hosting;

[Collection(NatsCollection.Name)]
public sealed class StreamHostNatsKillTests(NatsServer nats) : StreamHostKillTests
{
    private readonly string _name = "K" + Guid.NewGuid().ToString("N")[..12];

    private protected override Task<TempRepository> CreateRepositoryAsync() => HostedStreamRepository.NatsAsync(nats.Url, _name);

    private protected override async Task PublishAsync(IReadOnlyList<HostedEvent> events)
    {
        await using var connection = new NatsConnection(new NatsOpts { Url = nats.Url });
        var stream = new HostedNatsStream(connection, _name);
        await stream.CreateAsync();
        await stream.PublishAsync(events);
    }
}
