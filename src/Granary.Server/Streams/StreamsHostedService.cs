using Granary.Server.Diagnostics;
using Granary.Streams;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Granary.Server.Streams;

/// <summary>
/// Runs the stream consumers (<see cref="FeatureStore.RunStreamsAsync(StreamRunOptions, CancellationToken)"/>) for
/// as long as the host runs: <c>granary serve --with-streams</c>, or <c>AddGranaryStreams</c> in an application.
/// Stopping the host cancels them; the batches in hand are finished and acknowledged within the host's shutdown
/// timeout. Consumers that fail for good (an unknown view, a store that cannot keep stream events) stop the host,
/// since a server that silently stopped ingesting would serve ever staler aggregates.
/// </summary>
internal sealed class StreamsHostedService(FeatureStore store, StreamRunOptions options, IHostApplicationLifetime lifetime, ILogger<StreamsHostedService> logger) : BackgroundService
{
    /// <summary>Why the consumers stopped before the host asked them to; null while they run or after a clean stop.</summary>
    public Exception? Failure { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Off the start-up path: the host finishes starting while the consumers connect.
            await Task.Yield();
            await store.RunStreamsAsync(options, stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            Failure = e;
            ServerLog.StreamsFailed(logger, e);
            lifetime.StopApplication();
        }
    }
}
