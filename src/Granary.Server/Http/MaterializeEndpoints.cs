using System.Globalization;
using Granary.Contracts.Http;
using Granary.Materialization;
using Granary.Server.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Granary.Server.Http;

/// <summary>
/// <c>POST /materialize</c> (<c>{"start_ts", "end_ts", "feature_views"}</c>) and <c>POST /materialize-incremental</c>
/// (<c>{"end_ts", "feature_views"}</c>), as Feast's server takes them (<see cref="MaterializeRequestJson"/>); the
/// answer lists what each view did (<see cref="MaterializeResponseJson"/>). The request runs until materialization
/// ends; a client that disconnects cancels it, and the watermark only moves for views whose values are durable.
/// </summary>
internal static class MaterializeEndpoints
{
    public const string MaterializeName = "materialize";
    public const string IncrementalName = "materialize-incremental";

    public static async Task MaterializeAsync(HttpContext context, EndpointRunner runner)
    {
        var body = await ParseAsync(context, runner);
        var time = EndpointRunner.Clock(context);
        var start = Time(body.StartTs, MaterializeRequestJson.StartTs, time);
        var end = Time(body.EndTs, MaterializeRequestJson.EndTs, time);
        if (start > end)
        {
            throw new JsonBodyException($"{MaterializeRequestJson.StartTs} ({body.StartTs}) is after {MaterializeRequestJson.EndTs} ({body.EndTs}).");
        }

        var results = await runner.Store.MaterializeAsync(start, end, body.FeatureViews, cancellationToken: context.RequestAborted);
        Write(context, runner, results);
    }

    public static async Task MaterializeIncrementalAsync(HttpContext context, EndpointRunner runner)
    {
        var body = await ParseAsync(context, runner);
        var end = Time(body.EndTs, MaterializeRequestJson.EndTs, EndpointRunner.Clock(context));
        var results = await runner.Store.MaterializeIncrementalAsync(end, body.FeatureViews, cancellationToken: context.RequestAborted);
        Write(context, runner, results);
    }

    /// <summary>
    /// The server's clock, as AddGranary hands it to the store: the <see cref="TimeProvider"/> registered with the host,
    /// or the system's. So <c>now</c> here is the instant the store's ttl checks use, and a test's fake clock holds for both.
    /// </summary>

    /// <summary>An ISO-8601 instant (UTC unless a zone is given) or <c>now</c> on <paramref name="time"/>.</summary>
    internal static DateTimeOffset Time(string? text, JsonField field, TimeProvider time)
    {
        if (text is null)
        {
            throw new JsonBodyException($"{field}: missing; give an ISO-8601 time such as 2026-11-01T00:00:00Z.");
        }

        if (string.Equals(text, "now", StringComparison.OrdinalIgnoreCase))
        {
            return time.GetUtcNow();
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : throw new JsonBodyException($"{field}: '{text}' is not a time; use ISO-8601 (2026-11-01, 2026-11-01T12:00:00Z) or 'now'.");
    }

    private static async Task<MaterializeRequestBody> ParseAsync(HttpContext context, EndpointRunner runner)
    {
        using var body = await runner.ReadBodyAsync(context);
        return MaterializeRequestJson.Parse(body.Span);
    }

    private static void Write(HttpContext context, EndpointRunner runner, IReadOnlyList<MaterializationResult> results)
    {
        ServerTelemetry.Materialized(results);
        JsonBody.Write(context.Response, StatusCodes.Status200OK, results, static (writer, results) =>
        {
            MaterializeResponseJson.WriteStart(writer);
            foreach (var r in results)
            {
                MaterializeResponseJson.WriteView(writer, r.View, r.Start, r.End, r.Rows, r.Written, r.Skipped, r.Elapsed);
            }

            MaterializeResponseJson.WriteEnd(writer);
        });
    }
}
