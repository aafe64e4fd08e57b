using Granary.Core.Errors;
using Granary.Monitoring;
using Granary.Server.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Granary.Server.Monitoring;

/// <summary>
/// <c>granary serve --with-monitoring</c>: runs the registry's alerts (<see cref="AlertMonitor"/>) at start and then
/// every <c>monitoring.schedule</c>, as <c>granary monitor run</c> does, until the server stops.
/// </summary>
internal sealed class AlertMonitorService(FeatureStore store, IServiceProvider services, IHttpClientFactory http, ILogger<AlertMonitorService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var clock = services.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System;
        var monitor = new AlertMonitor(store, http, logger, Environment.GetEnvironmentVariable, new ServingLogConsistencyProbe(store));
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await monitor.RunAsync(stoppingToken);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                // Stopping, the host may already have disposed the store under the call: whatever that failed with
                // (cancelled, ObjectDisposedException) is the shutdown, not a failure to report.
                return;
            }
            catch (Exception e)
            {
                // A background service that throws would stop the host; the next run tries again.
                ServerLog.AlertRunFailed(logger, e is GranaryException ? e.Message : $"{e.GetType().Name}: {e.Message}");
            }

            try
            {
                await Task.Delay(store.Monitoring.Schedule, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
