using Granary.Core.Model;
using Microsoft.Extensions.Logging;

namespace Granary.Streaming.Sources;

/// <summary>The consumer of a stream source, by its type: the one place a host (<c>granary stream run</c>, the server) picks one.</summary>
internal static class StreamConsumers
{
    /// <summary>A consumer with its own connection to <paramref name="source"/>.</summary>
    /// <exception cref="ArgumentException">The source is not a <c>redis_stream</c> or <c>nats</c> source.</exception>
    public static async Task<IStreamConsumer> ConnectAsync(StreamSource source, StreamConsumerOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source switch
        {
            RedisStreamSource redis => await RedisStreamConsumer.ConnectAsync(redis, options, logger),
            NatsSource nats => NatsStreamConsumer.Connect(nats, options, logger),
            _ => throw new ArgumentException($"The source '{source.Name}' is a {source.SourceType} source; stream consumers read redis_stream and nats sources.", nameof(source)),
        };
    }
}
