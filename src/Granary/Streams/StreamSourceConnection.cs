using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Streaming.Sources;
using Microsoft.Extensions.Logging;

namespace Granary.Streams;

/// <summary>
/// Connects to stream sources for the host, and asks one question of a source (its lag, a reset) with a time limit,
/// turning the client library's failure into a <see cref="GranaryException"/> that names the source and its address.
/// </summary>
internal static class StreamSourceConnection
{
    /// <summary>How long <c>stream status</c> and <c>stream reset</c> wait for a source before calling it unreachable.</summary>
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(10);

    public static Task<IStreamConsumer> ConnectAsync(StreamSource source, StreamConsumerOptions options, ILogger logger) =>
        StreamConsumers.ConnectAsync(source, options, logger);

    /// <summary>The answer of <paramref name="ask"/> to a consumer of <paramref name="source"/> connected for it alone.</summary>
    public static async Task<T> AskAsync<T>(StreamSource source, StreamConsumerOptions options, ILogger logger, string what, Func<IStreamConsumer, CancellationToken, Task<T>> ask, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(AnswerTimeout);
        try
        {
            await using var consumer = await ConnectAsync(source, options, logger);
            return await ask(consumer, timeout.Token).WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is not GranaryException)
        {
            var reason = e is OperationCanceledException or TimeoutException ? $"no answer within {AnswerTimeout.TotalSeconds:0} s" : e.Message;
            throw new GranaryException(
                ErrorCodes.SourceUnavailable,
                $"Stream source '{source.Name}' ({source.SourceType} at {Address(source)}) cannot {what}: {reason}. Check that the server is up and the source's address in the definitions.",
                e);
        }
    }

    private static string Address(StreamSource source) => source switch
    {
        RedisStreamSource redis => $"{redis.Connection}, stream {redis.Stream}, group {redis.Group}",
        NatsSource nats => $"{nats.Url}, stream {nats.Stream}, durable {nats.Durable}",
        _ => source.Name,
    };
}
