namespace Granary.Contracts.Http.Monitoring;

/// <summary><c>GET /api/v1/monitoring/freshness</c>'s answer: every feature view's newest event, its age and status.</summary>
internal static class FreshnessJson
{
    private static readonly string[] Statuses = ["fresh", "stale", "very_stale"];

    public static readonly JsonField Name = new("name", JsonFieldKind.String, "The feature view.", required: true);

    public static readonly JsonField NewestEvent = new(
        "newest_event", JsonFieldKind.Timestamp, "The newest event time materialized, pushed or ingested for the view, UTC; null when nothing has been.", required: true);

    public static readonly JsonField AgeSeconds = new("age_seconds", JsonFieldKind.Number, "Seconds since newest_event by the server's clock; null with it.", required: true);

    public static readonly JsonField Expected = new(
        "expected", JsonFieldKind.String, "The view's freshness: real_time, hourly, daily, weekly or a duration; daily when it declares none.", required: true);

    public static readonly JsonField FreshSeconds = new("fresh_seconds", JsonFieldKind.Number, "The age up to which the view is fresh.", required: true);

    public static readonly JsonField StaleSeconds = new("stale_seconds", JsonFieldKind.Number, "The age up to which it is stale; older is very_stale.", required: true);

    public static readonly JsonField Status = new(
        "status", JsonFieldKind.Enum, "fresh, stale or very_stale (also when nothing has been written).", required: true, allowedValues: Statuses);

    public static JsonBodySchema ViewSchema { get; } = new(
        "ViewFreshness", "One feature view's freshness.", [Name, NewestEvent, AgeSeconds, Expected, FreshSeconds, StaleSeconds, Status]);

    public static readonly JsonField Views = new("views", JsonFieldKind.ObjectList, "Every feature view, ordered by name.", required: true, body: ViewSchema);

    public static JsonBodySchema Schema { get; } = new("Freshness", "Every feature view's freshness.", [Views]);
}
