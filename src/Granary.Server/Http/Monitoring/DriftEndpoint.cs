using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Drift;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Granary.Server.Http.Monitoring;

/// <summary>
/// <c>GET /api/v1/monitoring/drift/{view}?current_start=&amp;current_end=&amp;[current_source=offline|serving]&amp;(baseline_start=&amp;baseline_end= |
/// baseline_profile= | baseline_dataset=)&amp;features=a,b</c>: the drift check of <c>granary drift</c>, with its JSON
/// (<see cref="DriftJson"/>). Times are ISO-8601 (UTC unless a zone is given) or <c>now</c>.
/// </summary>
internal static class DriftEndpoint
{
    public const string Name = "monitoring-drift";

    private const string Path = "/drift/{view}";

    private const string CurrentSourceParameter = "current_source";

    /// <summary>Maps the endpoint and its method refusals under <paramref name="monitoring"/> (<c>/api/v1/monitoring</c>).</summary>
    public static void Map(RouteGroupBuilder monitoring, EndpointRunner runner)
    {
        monitoring.MapGet(Path, (HttpContext context, string view, CancellationToken _) => runner.RunAsync(context, Name, (c, r) => HandleAsync(c, r, view)))
            .WithName("GetDrift").WithSummary("The drift of a view's features between a baseline (a period, a stored profile or a saved dataset) and the current period.")
            .DocumentsQuery(CurrentSourceParameter, "Where the current sample comes from: offline (the default), the view's source rows with event time in the current period; serving, the values served in it as the serving log kept them (monitoring.serving_sample_rate), those not found left out.", "offline", "serving")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces(StatusCodes.Status400BadRequest, contentType: "application/json")
            .Produces(StatusCodes.Status404NotFound, contentType: "application/json");
        monitoring.MapRefusals(runner, Path, HttpMethods.Get, Name);
    }

    public static async Task HandleAsync(HttpContext context, EndpointRunner runner, string view)
    {
        var query = context.Request.Query;
        var time = EndpointRunner.Clock(context);
        var request = new DriftRequest
        {
            View = view,
            CurrentStart = MonitoringQuery.Time(query, "current_start", time) ?? throw Missing("current_start"),
            CurrentEnd = MonitoringQuery.Time(query, "current_end", time) ?? throw Missing("current_end"),
            CurrentSource = Source(MonitoringQuery.Text(query, CurrentSourceParameter)),
            BaselineStart = MonitoringQuery.Time(query, "baseline_start", time),
            BaselineEnd = MonitoringQuery.Time(query, "baseline_end", time),
            BaselineProfile = MonitoringQuery.Text(query, "baseline_profile"),
            BaselineDataset = MonitoringQuery.Text(query, "baseline_dataset"),
            Features = MonitoringQuery.Text(query, "features") is { } features
                ? features.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : [],
        };
        var report = await runner.Store.DriftAsync(request, context.RequestAborted);
        JsonBody.Write(context.Response, StatusCodes.Status200OK, report, DriftJson.Write);
    }

    private static DriftSource Source(string? text) => text switch
    {
        null or "offline" => DriftSource.Offline,
        "serving" => DriftSource.Serving,
        _ => throw new GranaryException(ErrorCodes.InvalidArgument, $"{CurrentSourceParameter}: '{text}' is not a source of current values; use offline or serving."),
    };

    private static GranaryException Missing(string name) =>
        new(ErrorCodes.InvalidArgument, $"{name} is required: the current period is [current_start, current_end).");
}
