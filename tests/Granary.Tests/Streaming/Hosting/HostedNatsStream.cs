using System.Text;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Granary.Tests.Streaming.Hosting;

/// <summary>A JetStream stream of one test, and a publisher that retries (with the same message id, stored once) while a cluster elects a leader.</summary>
internal sealed class HostedNatsStream(NatsConnection connection, string name)
{
    private readonly NatsJSContext _jetStream = new(connection);

    public string Name => name;

    public NatsJSContext JetStream => _jetStream;

    public Task CreateAsync(int replicas = 1) =>
        _jetStream.CreateStreamAsync(new StreamConfig(name, [$"{name}.>"]) { NumReplicas = replicas, DuplicateWindow = TimeSpan.FromMinutes(5) }).AsTask();

    /// <summary>Publishes each event's JSON body; <paramref name="tag"/> makes the message ids differ from an earlier publish of the same events.</summary>
    public async Task PublishAsync(IEnumerable<HostedEvent> events, string tag = "")
    {
        foreach (var e in events)
        {
            var body = Encoding.UTF8.GetBytes(HostedStreamRepository.Json(e));
            await PublishAsync(body, tag + e.Id);
        }
    }

    public async Task PublishAsync(byte[] body, string messageId)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var ack = await _jetStream.PublishAsync($"{name}.txn", body, opts: new NatsJSPubOpts { MsgId = messageId });
                ack.EnsureSuccess();
                return;
            }
            catch (Exception e) when (e is NatsException or TimeoutException && attempt < 100)
            {
                await Task.Delay(100);
            }
        }
    }
}
