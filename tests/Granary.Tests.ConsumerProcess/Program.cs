using System.Globalization;
using Granary.Core.Model;
using Granary.Streaming.Sources;
using Microsoft.Extensions.Logging.Abstractions;

// Usage: redis CONNECTION STREAM GROUP CONSUMER OUTPUT | nats URL STREAM SUBJECT DURABLE OUTPUT
// Consumes until killed, appending the id of every handled message to OUTPUT (flushed before the batch is
// acknowledged), then pausing, so that a kill often lands between handling a batch and acknowledging it.
if (args.Length != 6)
{
    Console.Error.WriteLine("usage: redis CONNECTION STREAM GROUP CONSUMER OUTPUT | nats URL STREAM SUBJECT DURABLE OUTPUT");
    return 2;
}

var options = new StreamConsumerOptions { ConsumerName = args[4], BatchSize = 20, RedeliverAfter = TimeSpan.FromSeconds(2) };
await using IStreamConsumer consumer = args[0] == "redis"
    ? await RedisStreamConsumer.ConnectAsync(
        new RedisStreamSource { Name = "events", Connection = args[1], Stream = args[2], Group = args[3], BatchSourceName = "log" }, options, NullLogger.Instance)
    : NatsStreamConsumer.Connect(
        new NatsSource { Name = "events", Url = args[1], Stream = args[2], Subject = args[3], Durable = args[4], BatchSourceName = "log" }, options, NullLogger.Instance);

await using var output = new StreamWriter(args[5], append: true);
await consumer.RunAsync(
    async (batch, cancellationToken) =>
    {
        foreach (var message in batch)
        {
            await output.WriteLineAsync(message.Id.AsMemory(), cancellationToken);
        }

        await output.FlushAsync(cancellationToken);
        await Task.Delay(TimeSpan.FromMilliseconds(30), cancellationToken);
    },
    CancellationToken.None);
return 0;
