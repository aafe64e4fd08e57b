using System.Collections.Concurrent;
using Granary.Streaming.Sources;

namespace Granary.Tests.Streaming.Consumers;

/// <summary>Every message a consumer handed to its handler, in order, and a way to wait for a given number of them.</summary>
internal sealed class CollectedMessages
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly ConcurrentQueue<SourceMessage> _messages = new();

    public IReadOnlyList<SourceMessage> All => [.. _messages];

    /// <summary>The distinct message ids handled so far.</summary>
    public HashSet<string> Ids => [.. _messages.Select(m => m.Id)];

    /// <summary>A handler that records each batch and completes, so the consumer acknowledges it.</summary>
    public ValueTask Record(IReadOnlyList<SourceMessage> batch, CancellationToken cancellationToken)
    {
        foreach (var message in batch)
        {
            _messages.Enqueue(message);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Runs <paramref name="consumer"/> until <paramref name="done"/> holds (or a minute passes), then stops it.</summary>
    public static async Task RunUntilAsync(IStreamConsumer consumer, SourceBatchHandler handler, Func<bool> done)
    {
        using var stop = new CancellationTokenSource();
        var run = consumer.RunAsync(handler, stop.Token);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!done() && !run.IsCompleted && waited.Elapsed < Patience)
        {
            await Task.Delay(20);
        }

        await stop.CancelAsync();
        await run;
        Assert.True(done(), $"the consumer did not get there within {Patience.TotalSeconds}s");
    }
}
