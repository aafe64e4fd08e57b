using System.Globalization;
using Granary.Materialization;
using Granary.Server.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Granary.Server.Http;

/// <summary>
/// <c>POST /materialize</c> (<c>{"start_ts", "end_ts", "feature_views"}</c>) and <c>POST /materialize-incremental</c>
/// (<c>{"end_ts", "feature_views"}</c>), as Feast's server takes them; the answer lists what each view did.
/// The request runs until materialization ends; a client that disconnects cancels it, and the watermark only
/// moves for views whose values are durable.
/// </summary>
internal static class MaterializeEndpoints
{
    public const string MaterializeName = "materialize";
    public const string IncrementalName = "materialize-incremental";

    public static async Task MaterializeAsync(HttpContext context, EndpointRunner runner)
    {
        var body = await ParseAsync(context, runner);
        var start = MaterializeRequestJson.Time(body.StartTs, "start_ts");
        var end = MaterializeRequestJson.Time(body.EndTs, "end_ts");
        if (start > end)
        {
            throw JsonFields.Invalid($"start_ts ({body.StartTs}) is after end_ts ({body.EndTs}).");
        }

        var results = await runner.Store.MaterializeAsync(start, end, body.FeatureViews, cancellationToken: context.RequestAborted);
        Write(context, runner, results);
    }

    public static async Task MaterializeIncrementalAsync(HttpContext context, EndpointRunner runner)
    {
        var body = await ParseAsync(context, runner);
        var end = MaterializeRequestJson.Time(body.EndTs, "end_ts");
        var results = await runner.Store.MaterializeIncrementalAsync(end, body.FeatureViews, cancellationToken: context.RequestAborted);
        Write(context, runner, results);
    }

    private static async Task<MaterializeRequestJson> ParseAsync(HttpContext context, EndpointRunner runner)
    {
        using var body = await runner.ReadBodyAsync(context);
        return MaterializeRequestJson.Parse(body.Span);
    }

    private static void Write(HttpContext context, EndpointRunner runner, IReadOnlyList<MaterializationResult> results)
    {
        foreach (var r in results)
        {
            ServerLog.Materialized(runner.Logger, r.View, r.Start, r.End, r.Rows, r.Written);
        }

        JsonBody.WriteObject(context.Response, writer =>
        {
            writer.WriteStartArray("feature_views"u8);
            foreach (var r in results)
            {
                writer.WriteStartObject();
                writer.WriteString("name"u8, r.View);
                writer.WriteString("start_ts"u8, r.Start.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
                writer.WriteString("end_ts"u8, r.End.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
                writer.WriteNumber("rows"u8, r.Rows);
                writer.WriteNumber("written"u8, r.Written);
                writer.WriteNumber("skipped"u8, r.Skipped);
                writer.WriteNumber("elapsed_seconds"u8, r.Elapsed.TotalSeconds);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
    }
}
