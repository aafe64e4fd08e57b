using System.Globalization;
using Granary.Contracts.Errors;
using Granary.Contracts.Http;
using Granary.Core.Errors;
using Granary.Quality.Rules;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Granary.Server.Http.Monitoring;

/// <summary>
/// <c>GET /api/v1/monitoring/validation/{view}?start=T&amp;end=T</c>: the view's validation rules evaluated inside the
/// offline engine over its source rows with event time in [start, end), as <c>granary validate --format json</c> prints
/// them (<see cref="ValidationReportJson"/>). A failing rule is part of a 200 answer (<c>"passed": false</c>); an unknown
/// view is 404, a time that does not parse 400, an offline store that does not answer 503.
/// </summary>
internal static class ValidationEndpoint
{
    public const string Name = "monitoring-validation";
    public const string Path = "/validation/{view}";

    private static readonly JsonBodySchema RuleSchema = new("ValidationRuleOutcome", "One rule of one feature over the period.",
    [
        new JsonField("feature", JsonFieldKind.String, "The schema field the rule is declared on.", required: true),
        new JsonField("rule", JsonFieldKind.Enum, "The rule kind.", required: true, allowedValues: ["range", "not_null", "enum", "regex", "max_null_fraction", "unique", "expression"]),
        new JsonField("severity", JsonFieldKind.Enum, "error fails the validation; warn is only reported.", required: true, allowedValues: ["error", "warn"]),
        new JsonField("failed", JsonFieldKind.Integer, "The rows counted against the rule: failing rows; nulls for max_null_fraction; rows beyond the first per (entity, event time) for unique.", required: true),
        new JsonField("total", JsonFieldKind.Integer, "The rows in the period.", required: true),
        new JsonField("example", JsonFieldKind.String, "The smallest failing value, or the entity and event time of a failing row; null when the rule holds.", required: true),
    ]);

    private static readonly JsonBodySchema ReportSchema = new("ValidationReport", "A feature view's validation rules evaluated on its source rows in [start, end).",
    [
        new JsonField("view", JsonFieldKind.String, "The feature view.", required: true),
        new JsonField("start", JsonFieldKind.Timestamp, "The first event time included; null without a lower bound.", required: true),
        new JsonField("end", JsonFieldKind.Timestamp, "The event time the period ends before; null without an upper bound.", required: true),
        new JsonField("passed", JsonFieldKind.Boolean, "False when a rule of severity error does not hold.", required: true),
        new JsonField("rules", JsonFieldKind.ObjectList, "Every rule of every feature, in schema order.", required: true, body: RuleSchema),
    ]);

    /// <summary>Maps the endpoint, and its refusal of other methods, under <paramref name="monitoring"/> (<c>/api/v1/monitoring</c>).</summary>
    public static void Map(RouteGroupBuilder monitoring, EndpointRunner runner)
    {
        monitoring.MapGet(Path, (HttpContext context, string view, CancellationToken _) => runner.RunAsync(context, Name, (c, r) => HandleAsync(c, r, view)))
            .WithName("ValidateFeatureView")
            .WithSummary("Evaluate a view's validation rules on its source rows with event time in [start, end) (ISO-8601 or 'now'; each optional), inside the offline engine.")
            .ProducesJson(StatusCodes.Status200OK, ReportSchema)
            .ProducesJson(StatusCodes.Status400BadRequest, ErrorResponseJson.Schema)
            .ProducesJson(StatusCodes.Status404NotFound, ErrorResponseJson.Schema)
            .ProducesJson(StatusCodes.Status503ServiceUnavailable, ErrorResponseJson.Schema);
        monitoring.MapRefusals(runner, Path, HttpMethods.Get, Name);
    }

    public static async Task HandleAsync(HttpContext context, EndpointRunner runner, string view)
    {
        var clock = EndpointRunner.Clock(context);
        var start = Time(context, "start", clock);
        var end = Time(context, "end", clock);
        var report = await runner.Store.ValidateAsync(view, start, end, context.RequestAborted);
        JsonBody.Write(context.Response, StatusCodes.Status200OK, report, ValidationReportJson.Write);
    }

    /// <summary>The query parameter <paramref name="name"/> as an instant (ISO-8601, UTC unless a zone is given, or <c>now</c>); null when absent.</summary>
    private static DateTimeOffset? Time(HttpContext context, string name, TimeProvider clock)
    {
        var values = context.Request.Query[name];
        if (values.Count == 0)
        {
            return null;
        }

        var text = values[^1] ?? "";
        if (string.Equals(text, "now", StringComparison.OrdinalIgnoreCase))
        {
            return clock.GetUtcNow();
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : throw new GranaryException(ErrorCodes.InvalidArgument, $"{name}: '{text}' is not a time; use ISO-8601 (2026-11-01, 2026-11-01T12:00:00Z) or 'now'.");
    }
}
