using System.Globalization;
using System.Text.Json;
using Granary.Contracts.Http;
using Granary.Contracts.Http.Monitoring;
using Granary.Core.Model;
using Granary.Core.Time;
using Granary.Registry.Alerts;
using Granary.Registry.Monitoring;
using Granary.Server.Http.Governance;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Granary.Server.Http.Monitoring;

/// <summary>
/// <c>GET /api/v1/monitoring/alerts</c>: every alert of the registry (views, condition, threshold, cool-down, webhook
/// redacted) with, per (view, condition), its last firing from the registry's <c>granary_alert_firings</c>.
/// </summary>
internal static class AlertsEndpoint
{
    private const string Name = "monitoring-alerts";

    public static void Map(RouteGroupBuilder monitoring, EndpointRunner runner)
    {
        monitoring.MapGet("/alerts", (HttpContext context, CancellationToken _) => runner.RunAsync(context, Name, GetAsync))
            .WithName("GetAlerts").WithSummary("Every alert of the registry with its views, condition, threshold, cool-down, redacted webhook and last firing per view and condition.")
            .ProducesJson(StatusCodes.Status200OK, AlertsJson.Schema)
            .ProducesJson(StatusCodes.Status503ServiceUnavailable, ErrorResponseJson.Schema);
        monitoring.MapRefusals(runner, "/alerts", HttpMethods.Get, Name);
    }

    public static async Task GetAsync(HttpContext context, EndpointRunner runner)
    {
        var store = runner.Store;
        var definitions = (await store.GetRegistryAsync(context.RequestAborted)).Definitions;
        var alerts = new List<Alert>(definitions.Alerts);
        alerts.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        var views = new List<string>(definitions.FeatureViews.Count);
        foreach (var view in definitions.FeatureViews)
        {
            views.Add(view.Name);
        }

        views.Sort(StringComparer.Ordinal);
        var firings = alerts.Count == 0 ? [] : await store.MonitoringState.GetAlertFiringsAsync(store.Project, context.RequestAborted);
        JsonBody.WriteObject(context.Response, writer =>
        {
            writer.WriteStartArray(AlertsJson.Alerts.EncodedName);
            foreach (var alert in alerts)
            {
                Write(writer, alert, views, firings);
            }

            writer.WriteEndArray();
        });
    }

    private static void Write(Utf8JsonWriter writer, Alert alert, List<string> registryViews, IReadOnlyList<AlertFiring> firings)
    {
        writer.WriteStartObject();
        writer.WriteString(AlertsJson.Name.EncodedName, alert.Name);
        writer.WriteString(AlertsJson.Description.EncodedName, alert.Description);
        writer.WriteBoolean(AlertsJson.AllViews.EncodedName, alert.Views.Count == 0);
        var watched = new List<string>();
        foreach (var view in registryViews)
        {
            if (alert.Watches(view))
            {
                watched.Add(view);
            }
        }

        writer.WriteStartArray(AlertsJson.Views.EncodedName);
        foreach (var view in watched)
        {
            writer.WriteStringValue(view);
        }

        writer.WriteEndArray();
        writer.WriteString(AlertsJson.Condition.EncodedName, alert.Condition.Key);
        var threshold = alert.Condition.Kind switch
        {
            AlertConditionKind.DriftSeverity => alert.Condition.Severity,
            AlertConditionKind.ConsistencyBelow => alert.Condition.Threshold!.Value.ToString(CultureInfo.InvariantCulture),
            _ => null,
        };
        writer.WriteString(AlertsJson.Threshold.EncodedName, threshold);
        writer.WriteString(AlertsJson.Cooldown.EncodedName, Durations.Format(alert.Cooldown));
        writer.WriteNumber(AlertsJson.CooldownSeconds.EncodedName, alert.Cooldown.TotalSeconds);
        writer.WriteString(AlertsJson.Webhook.EncodedName, WebhookUrl.Redact(alert.Webhook));
        WriteFirings(writer, alert, watched, firings);
        writer.WriteEndObject();
    }

    private static void WriteFirings(Utf8JsonWriter writer, Alert alert, List<string> watched, IReadOnlyList<AlertFiring> firings)
    {
        var condition = alert.Condition.ToString();
        var items = new SortedDictionary<(string View, string Condition), DateTimeOffset?>(Comparer<(string, string)>.Create(static (a, b) =>
            string.CompareOrdinal(a.Item1, b.Item1) is var byView and not 0 ? byView : string.CompareOrdinal(a.Item2, b.Item2)));
        foreach (var view in watched)
        {
            items[(view, condition)] = null;
        }

        foreach (var firing in firings)
        {
            if (firing.Alert == alert.Name)
            {
                items[(firing.View, firing.Condition)] = firing.FiredAt;
            }
        }

        writer.WriteStartArray(AlertsJson.Firings.EncodedName);
        foreach (var ((view, firedCondition), firedAt) in items)
        {
            writer.WriteStartObject();
            writer.WriteString(AlertsJson.View.EncodedName, view);
            writer.WriteString(AlertsJson.FiringCondition.EncodedName, firedCondition);
            GovernanceJson.WriteTime(writer, AlertsJson.LastFiredAt.EncodedName, firedAt);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
