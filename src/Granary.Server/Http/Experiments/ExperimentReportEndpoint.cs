using Granary.Server.Http.Monitoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Granary.Server.Http.Experiments;

/// <summary>
/// <c>GET /api/v1/experiments/{name}/report?start=&amp;end=</c>: the exposures per variant of
/// <c>granary experiments report</c>, with its JSON (<see cref="ExperimentReportJson"/>). Both times are optional
/// (ISO-8601, UTC unless a zone is given, or <c>now</c>); by default the period is the serving log's retention up to now.
/// </summary>
internal static class ExperimentReportEndpoint
{
    public const string Name = "experiment-report";

    private const string Path = "/experiments/{name}/report";

    /// <summary>Maps the endpoint and its method refusals under <paramref name="v1"/> (<c>/api/v1</c>).</summary>
    public static void Map(RouteGroupBuilder v1, EndpointRunner runner)
    {
        v1.MapGet(Path, (HttpContext context, string name, CancellationToken _) => runner.RunAsync(context, Name, (c, r) => HandleAsync(c, r, name)))
            .WithName("GetExperimentReport").WithSummary("Exposures per variant of an experiment in [start, end), beside the declared shares, with a sample ratio check.")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces(StatusCodes.Status400BadRequest, contentType: "application/json")
            .Produces(StatusCodes.Status404NotFound, contentType: "application/json");
        v1.MapRefusals(runner, Path, HttpMethods.Get, Name);
    }

    private static async Task HandleAsync(HttpContext context, EndpointRunner runner, string name)
    {
        var query = context.Request.Query;
        var time = EndpointRunner.Clock(context);
        var report = await runner.Store.GetExperimentReportAsync(
            name, MonitoringQuery.Time(query, "start", time), MonitoringQuery.Time(query, "end", time), context.RequestAborted);
        JsonBody.Write(context.Response, StatusCodes.Status200OK, report, ExperimentReportJson.Write);
    }
}
