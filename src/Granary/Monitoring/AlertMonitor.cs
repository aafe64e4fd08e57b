using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Drift;
using Granary.Quality.Drift;
using Granary.Quality.Freshness;
using Granary.Registry.Alerts;
using Granary.Registry.Monitoring;
using Microsoft.Extensions.Logging;

namespace Granary.Monitoring;

/// <summary>
/// Evaluates the registry's alerts once per <see cref="RunAsync"/>: each alert's condition over each view it watches,
/// a firing sent as JSON to its webhook and logged, unless the same (alert, view, condition) fired within its cool-down.
/// Cool-downs are kept in the registry (<see cref="IMonitoringStore"/>), so every process running the monitor shares them.
/// </summary>
/// <remarks>
/// Drift compares the view's rows of the last <c>monitoring.window</c> against the <c>monitoring.drift_baseline_window</c>
/// before them; validation checks the last window; consistency is measured over it too (<see cref="Registry.Configuration.MonitoringSettings"/>).
/// </remarks>
internal sealed class AlertMonitor(
    FeatureStore store,
    IHttpClientFactory http,
    ILogger logger,
    Func<string, string?> environment,
    IConsistencyProbe? consistency = null)
{
    public async Task<AlertRunSummary> RunAsync(CancellationToken cancellationToken = default)
    {
        // From the applied registry, not the repository: a server needs no repository folder to monitor.
        var definitions = (await store.GetRegistryAsync(cancellationToken)).Definitions;
        var alerts = definitions.Alerts;
        var now = store.Clock.GetUtcNow();
        var lastFired = new Dictionary<(string, string, string), DateTimeOffset>();
        foreach (var firing in await store.MonitoringState.GetAlertFiringsAsync(store.Project, cancellationToken))
        {
            lastFired[(firing.Alert, firing.View, firing.Condition)] = firing.FiredAt;
        }

        var views = new List<string>();
        foreach (var view in definitions.FeatureViews)
        {
            views.Add(view.Name);
        }

        views.Sort(StringComparer.Ordinal);
        Dictionary<string, ViewFreshness>? freshness = null;
        int evaluated = 0, fired = 0, suppressed = 0, failed = 0, notEvaluated = 0;
        var recorded = new List<AlertFiring>();
        foreach (var alert in alerts)
        {
            var condition = alert.Condition.ToString();
            foreach (var view in views)
            {
                if (!alert.Watches(view))
                {
                    continue;
                }

                if (alert.Condition.Kind is AlertConditionKind.Stale or AlertConditionKind.VeryStale && freshness is null)
                {
                    freshness = [];
                    foreach (var f in await store.GetFreshnessAsync(cancellationToken))
                    {
                        freshness[f.Name] = f;
                    }
                }

                Outcome outcome;
                try
                {
                    outcome = await EvaluateAsync(alert.Condition, view, now, freshness, cancellationToken);
                }
                catch (GranaryException e)
                {
                    outcome = Outcome.NotEvaluated(e.Message);
                }

                if (outcome.Problem is { } problem)
                {
                    notEvaluated++;
                    MonitoringLog.AlertNotEvaluated(logger, alert.Name, view, problem);
                    continue;
                }

                evaluated++;
                if (!outcome.Holds)
                {
                    continue;
                }

                if (lastFired.TryGetValue((alert.Name, view, condition), out var last) && now < last + alert.Cooldown)
                {
                    suppressed++;
                    continue;
                }

                fired++;
                MonitoringLog.AlertFired(logger, alert.Name, view, condition, outcome.Value, WebhookUrl.Redact(WebhookOf(alert) ?? ""));
                if (await SendAsync(alert, view, outcome, now, cancellationToken))
                {
                    recorded.Add(new AlertFiring(alert.Name, view, condition, now));
                }
                else
                {
                    failed++;
                }
            }
        }

        await store.MonitoringState.RecordAlertFiringsAsync(store.Project, recorded, cancellationToken);
        var summary = new AlertRunSummary(evaluated, fired, suppressed, failed, notEvaluated);
        MonitoringLog.AlertRun(logger, evaluated, fired, suppressed, failed, notEvaluated);
        return summary;
    }

    private async Task<Outcome> EvaluateAsync(AlertCondition condition, string view, DateTimeOffset now, Dictionary<string, ViewFreshness>? freshness, CancellationToken cancellationToken)
    {
        var start = now - store.Monitoring.Window;
        switch (condition.Kind)
        {
            case AlertConditionKind.Stale:
            case AlertConditionKind.VeryStale:
                var f = freshness![view];
                var holds = condition.Kind == AlertConditionKind.Stale ? f.Status != FreshnessStatus.Fresh : f.Status == FreshnessStatus.VeryStale;
                var age = f.Age is { } a ? string.Create(CultureInfo.InvariantCulture, $", age {a.TotalSeconds:0}s") : ", never written";
                return new Outcome(holds, f.StatusKey, null, $"status {f.StatusKey}{age}, expected {f.Expectation.Expected}");
            case AlertConditionKind.ValidationFailed:
                var report = await store.ValidateAsync(view, start, now, cancellationToken);
                var failing = 0;
                foreach (var rule in report.Rules)
                {
                    failing += rule.Passed ? 0 : 1;
                }

                return new Outcome(!report.Passed, failing.ToString(CultureInfo.InvariantCulture), null, $"{failing} of {report.Rules.Count} rules fail");
            case AlertConditionKind.DriftSeverity:
                var drift = await store.DriftAsync(
                    new DriftRequest { View = view, CurrentStart = start, CurrentEnd = now, BaselineStart = start - store.Monitoring.DriftBaselineWindow, BaselineEnd = start },
                    cancellationToken);
                var worst = DriftSeverity.None;
                var worstFeature = "";
                foreach (var feature in drift.Features)
                {
                    if (feature.Severity > worst)
                    {
                        (worst, worstFeature) = (feature.Severity, feature.Name);
                    }
                }

                var threshold = (DriftSeverity)(Array.IndexOf(AlertCondition.Severities, condition.Severity) + 1);
                var severity = worst.ToString().ToLowerInvariant();
                return new Outcome(worst >= threshold, severity, condition.Severity, worst == DriftSeverity.None ? "no feature drifts" : $"{worstFeature} drifts most ({severity})");
            default:
                if (consistency is null)
                {
                    return Outcome.NotEvaluated("no consistency check is available to this monitor");
                }

                if (await consistency.MeasureAsync(view, start, now, cancellationToken) is not { } share)
                {
                    return Outcome.NotEvaluated("there was nothing to compare online and offline");
                }

                var text = share.ToString("0.####", CultureInfo.InvariantCulture);
                return new Outcome(share < condition.Threshold, text, condition.Threshold!.Value.ToString(CultureInfo.InvariantCulture), $"online and offline agree for a share {text}");
        }
    }

    /// <summary>
    /// Where the alert sends, as written: its own webhook, or for one that names none this process's
    /// <c>monitoring.default_webhook</c>, read now rather than when it was applied, so that the same registry sends to
    /// each environment's own endpoint. Null when neither is set (a registry applied with a default that is gone).
    /// </summary>
    private string? WebhookOf(Alert alert) => alert.Webhook.Length > 0 ? alert.Webhook : store.Monitoring.DefaultWebhook;

    private async Task<bool> SendAsync(Alert alert, string view, Outcome outcome, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var written = WebhookOf(alert);
        var shown = WebhookUrl.Redact(written ?? "");
        if (written is null)
        {
            MonitoringLog.WebhookFailed(logger, alert.Name, view, shown, "the alert names no webhook and this configuration sets no monitoring.default_webhook");
            return false;
        }

        if (!WebhookUrl.TryExpand(written, environment, out var url, out var problem))
        {
            MonitoringLog.WebhookFailed(logger, alert.Name, view, shown, problem!);
            return false;
        }

        var body = new JsonObject
        {
            ["alert"] = alert.Name,
            ["view"] = view,
            ["condition"] = alert.Condition.Key,
            ["value"] = outcome.Value,
            ["threshold"] = outcome.Threshold,
            ["fired_at"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
            ["details"] = outcome.Details,
            ["description"] = alert.Description,
        };
        try
        {
            using var client = http.CreateClient(AlertWebhooks.ClientName);
            using var response = await client.PostAsJsonAsync(url, body, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            MonitoringLog.WebhookFailed(logger, alert.Name, view, shown, string.Create(CultureInfo.InvariantCulture, $"it answered {(int)response.StatusCode} {response.ReasonPhrase}"));
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The exception's text can quote the full URL, so only its kind is logged.
            var reason = e is TaskCanceledException ? "it did not answer in time" : $"it could not be reached ({(e as HttpRequestException)?.HttpRequestError})";
            MonitoringLog.WebhookFailed(logger, alert.Name, view, shown, reason);
        }

        return false;
    }

    private sealed record Outcome(bool Holds, string Value, string? Threshold, string Details, string? Problem = null)
    {
        public static Outcome NotEvaluated(string problem) => new(false, "", null, "", problem);
    }
}
