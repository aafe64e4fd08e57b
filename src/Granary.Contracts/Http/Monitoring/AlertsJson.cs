namespace Granary.Contracts.Http.Monitoring;

/// <summary><c>GET /api/v1/monitoring/alerts</c>'s answer: every alert of the registry with its last firings.</summary>
internal static class AlertsJson
{
    private static readonly string[] Conditions = ["drift_severity", "stale", "very_stale", "validation_failed", "consistency_below"];

    public static readonly JsonField Name = new("name", JsonFieldKind.String, "The alert.", required: true);

    public static readonly JsonField Description = new("description", JsonFieldKind.String, "Free text for people; empty when none.", required: true);

    public static readonly JsonField AllViews = new("all_views", JsonFieldKind.Boolean, "True when the alert watches every view (written as '*' or without 'views').", required: true);

    public static readonly JsonField Views = new(
        "views", JsonFieldKind.StringList, "The feature views it watches now, by name: those it names, or every view of the registry when all_views.", required: true);

    public static readonly JsonField Condition = new(
        "condition", JsonFieldKind.Enum, "What it watches: the key under 'when'.", required: true, allowedValues: Conditions);

    public static readonly JsonField Threshold = new(
        "threshold", JsonFieldKind.String, "The severity (drift_severity) or share (consistency_below) it compares with, as written; null for the others.", required: true);

    public static readonly JsonField Cooldown = new("cooldown", JsonFieldKind.String, "How long the same view and condition stays quiet after firing, as a duration (1h, 30m, 0).", required: true);

    public static readonly JsonField CooldownSeconds = new("cooldown_seconds", JsonFieldKind.Number, "The cool-down in seconds.", required: true);

    public static readonly JsonField Webhook = new(
        "webhook", JsonFieldKind.String, "The webhook redacted: scheme://host/… (${…} where it comes from a variable); never its path, query or a variable's value.", required: true);

    public static readonly JsonField View = new("view", JsonFieldKind.String, "The feature view.", required: true);

    public static readonly JsonField FiringCondition = new(
        "condition", JsonFieldKind.String, "The condition as written when it fired (drift_severity: high); an earlier definition's condition keeps its own item.", required: true);

    public static readonly JsonField LastFiredAt = new(
        "last_fired_at", JsonFieldKind.Timestamp, "When it last fired for this view and condition, UTC; null when it never has.", required: true);

    public static JsonBodySchema FiringSchema { get; } = new(
        "AlertFiring", "The last firing of one alert for one view and condition.", [View, FiringCondition, LastFiredAt]);

    public static readonly JsonField Firings = new(
        "firings", JsonFieldKind.ObjectList,
        "One item per (view, condition): each watched view under the current condition (last_fired_at null when it never fired), and any firing recorded under an earlier condition or for a view no longer watched; ordered by view, then condition.",
        required: true, body: FiringSchema);

    public static JsonBodySchema AlertSchema { get; } = new(
        "MonitoredAlert", "One alert as applied, with its last firings.", [Name, Description, AllViews, Views, Condition, Threshold, Cooldown, CooldownSeconds, Webhook, Firings]);

    public static readonly JsonField Alerts = new("alerts", JsonFieldKind.ObjectList, "Every alert of the registry, ordered by name.", required: true, body: AlertSchema);

    public static JsonBodySchema Schema { get; } = new("Alerts", "Every alert of the registry with its last firings.", [Alerts]);
}
