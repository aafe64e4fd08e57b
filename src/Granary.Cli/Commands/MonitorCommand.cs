using System.CommandLine;
using Granary.Monitoring;
using Microsoft.Extensions.DependencyInjection;

namespace Granary.Cli.Commands;

/// <summary>
/// <c>granary monitor run [--once]</c>: evaluates the registry's alerts now, then every <c>monitoring.schedule</c>
/// until stopped, printing one summary line per run.
/// </summary>
internal static class MonitorCommand
{
    public static Command Create()
    {
        var once = new Option<bool>("--once") { Description = "Run the alerts once and exit: 0 when every firing reached its webhook, 1 when a webhook failed." };
        var run = new Command(
            "run",
            "Evaluate every alert of the repository (drift, freshness, validation, consistency) now and then every monitoring.schedule (default 1h) until Ctrl+C; a condition that holds is posted as JSON to the alert's webhook, at most once per cool-down.")
        {
            once,
        };
        CommandRunner.SetAction(run, async (parseResult, context, cancellationToken) =>
        {
            await using var store = await context.OpenAppliedStoreAsync(cancellationToken);
            await using var webhooks = AlertWebhooks.CreateProvider();
            var monitor = new AlertMonitor(store, webhooks.GetRequiredService<IHttpClientFactory>(), new WarningWriter(context.Error), Environment.GetEnvironmentVariable, new ServingLogConsistencyProbe(store));
            while (true)
            {
                var summary = await monitor.RunAsync(cancellationToken);
                context.Output.WriteLine($"{context.TimeProvider.GetUtcNow():yyyy-MM-dd HH:mm:ssZ} {summary}");
                if (parseResult.GetValue(once))
                {
                    return summary.FailedWebhooks == 0 ? 0 : CommandRunner.Failed;
                }

                try
                {
                    await Task.Delay(store.Monitoring.Schedule, context.TimeProvider, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return 0;
                }
            }
        });
        return new Command("monitor", "Monitoring that runs by itself: the repository's alerts.") { run };
    }
}
