using Granary.Core.Errors;
using Granary.Server.Diagnostics;
using Granary.Streams;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Granary.Server.Streams;

/// <summary>
/// Asks the stream sources of the consumed views for their lag every <see cref="Interval"/> and hands it to the
/// server's <c>granary.stream.consumer.lag</c> gauge, so /metrics shows it without asking the sources per scrape.
/// </summary>
/// <remarks>Only where the server's metrics are registered (<c>AddGranaryServer</c>); elsewhere it does nothing.</remarks>
internal sealed class StreamLagPoller(FeatureStore store, StreamRunOptions options, IServiceProvider services, ILogger<StreamLagPoller> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService(typeof(ServerMetrics)) is not ServerMetrics metrics)
        {
            return;
        }

        var clock = services.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System;
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                metrics.ConsumerLag(await store.GetStreamLagAsync(options.Views, stoppingToken));
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                // Stopping, the host may already have disposed the store under the call: whatever that failed with
                // (cancelled, ObjectDisposedException) is the shutdown, not a failure to report.
                return;
            }
            catch (GranaryException e)
            {
                // A source that does not answer keeps its last values; the consumers log their own failures.
                ServerLog.StreamLagFailed(logger, e.Message);
            }

            try
            {
                await Task.Delay(Interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
