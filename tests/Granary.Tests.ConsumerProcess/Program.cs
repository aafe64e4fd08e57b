using System.Globalization;
using Granary.Core.Model;
using Granary.Streaming.Sources;
using Microsoft.Extensions.Logging.Abstractions;

// Usage: redis CONNECTION STREAM GROUP CONSUMER OUTPUT HOLD | nats URL STREAM SUBJECT DURABLE OUTPUT HOLD | host REPO HOLD
// Consumes until killed, appending the id of every handled message to OUTPUT, flushed before the batch is
// acknowledged. Once HOLD messages are handled, it writes the line "#holding" and never returns from that batch's
// handler: a kill then lands, for certain, between handling a batch and acknowledging it.
if (args is ["host", var repository, var holdEvents])
{
    return await Granary.Tests.ConsumerProcess.HostHold.RunAsync(repository, int.Parse(holdEvents, System.Globalization.CultureInfo.InvariantCulture));
}

if (args.Length != 7)
{
    Console.Error.WriteLine("usage: redis CONNECTION STREAM GROUP CONSUMER OUTPUT HOLD | nats URL STREAM SUBJECT DURABLE OUTPUT HOLD | host REPO HOLD");
    return 2;
}

var hold = int.Parse(args[6], System.Globalization.CultureInfo.InvariantCulture);
var handled = 0;

var options = new StreamConsumerOptions { ConsumerName = args[4], BatchSize = 20, RedeliverAfter = TimeSpan.FromSeconds(2) };
StreamSource source = args[0] == "redis"
    ? new RedisStreamSource { Name = "events", Connection = args[1], Stream = args[2], Group = args[3], BatchSourceName = "log" }
    : new NatsSource { Name = "events", Url = args[1], Stream = args[2], Subject = args[3], Durable = args[4], BatchSourceName = "log" };
await using var consumer = await StreamConsumers.ConnectAsync(source, options, NullLogger.Instance);

await using var output = new StreamWriter(args[5], append: true);
await consumer.RunAsync(
    async (batch, cancellationToken) =>
    {
        foreach (var message in batch)
        {
            await output.WriteLineAsync(message.Id.AsMemory(), cancellationToken);
        }

        handled += batch.Count;
        if (handled >= hold)
        {
            await output.WriteLineAsync("#holding".AsMemory(), cancellationToken);
            await output.FlushAsync(cancellationToken);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        await output.FlushAsync(cancellationToken);
    },
    CancellationToken.None);
return 0;
