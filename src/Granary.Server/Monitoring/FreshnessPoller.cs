using Granary.Core.Errors;
using Granary.Server.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Granary.Server.Monitoring;

/// <summary>
/// Reads every view's newest event time every <see cref="Interval"/> and hands it to the server's
/// <c>granary.feature_view.freshness.age</c> gauge, so /metrics shows each view's age (computed at collection) without
/// reading the registry per scrape. Newest event times written by other processes (a <c>granary materialize</c>
/// run) show within one interval.
/// </summary>
internal sealed class FreshnessPoller(FeatureStore store, ServerMetrics metrics, IServiceProvider services, ILogger<FreshnessPoller> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var clock = services.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System;
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                metrics.Freshness(await store.GetFreshnessAsync(stoppingToken), clock);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                // Stopping, the host may already have disposed the store under the call: whatever that failed with
                // (cancelled, ObjectDisposedException) is the shutdown, not a failure to report.
                return;
            }
            catch (Exception e)
            {
                // Whatever failed, the gauge keeps the last times it had and the server serves on (a background
                // service that throws would stop the host); /health reports a registry or store that is away.
                ServerLog.FreshnessFailed(logger, e is GranaryException ? e.Message : $"{e.GetType().Name}: {e.Message}");
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
