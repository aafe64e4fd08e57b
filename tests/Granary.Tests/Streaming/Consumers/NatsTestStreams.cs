using System.Text;
using Granary.Core.Model;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Granary.Tests.Streaming.Consumers;

/// <summary>A JetStream stream of the tests' own, and a publisher that retries until JetStream has stored each message once.</summary>
internal sealed class NatsTestStreams(NatsConnection connection)
{
    private readonly NatsJSContext _jetStream = new(connection);

    public NatsJSContext JetStream => _jetStream;

    /// <summary>A new stream on <c>{name}.&gt;</c>, with <paramref name="replicas"/> copies in a cluster.</summary>
    public async Task<NatsSource> CreateAsync(string name, int replicas = 1)
    {
        await _jetStream.CreateStreamAsync(new StreamConfig(name, [$"{name}.>"]) { NumReplicas = replicas, DuplicateWindow = TimeSpan.FromMinutes(5) });
        return new NatsSource { Name = "clicks", Url = connection.Opts.Url, Stream = name, Subject = $"{name}.>", Durable = "granary", BatchSourceName = "click_log" };
    }

    /// <summary>
    /// Publishes <c>{"n": i}</c> for each i in the range; a publish that fails (a node lost, a leader election) is
    /// retried with the same message id, which JetStream's duplicate window stores once.
    /// </summary>
    public async Task PublishAsync(NatsSource source, int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            var body = Encoding.UTF8.GetBytes($"{{\"n\":{i}}}");
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    var ack = await _jetStream.PublishAsync($"{source.Stream}.click", body, opts: new NatsJSPubOpts { MsgId = $"m{i}" });
                    ack.EnsureSuccess();
                    break;
                }
                catch (Exception e) when (e is NatsException or TimeoutException && attempt < 100)
                {
                    await Task.Delay(100);
                }
            }
        }
    }

    /// <summary>The <c>n</c> of a body written by <see cref="PublishAsync"/>.</summary>
    public static int NumberOf(ReadOnlyMemory<byte> body)
    {
        var text = Encoding.UTF8.GetString(body.Span);
        return int.Parse(text.AsSpan(5, text.Length - 6), System.Globalization.CultureInfo.InvariantCulture);
    }
}
