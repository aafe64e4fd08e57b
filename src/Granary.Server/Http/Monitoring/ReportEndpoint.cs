using Granary.Reports;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Granary.Server.Http.Monitoring;

/// <summary>
/// <c>GET /api/v1/monitoring/report/{view}?current_start=&amp;current_end=&amp;(baseline_start=&amp;baseline_end= |
/// baseline_profile= | baseline_dataset=)</c>: the HTML page <c>granary report</c> writes, every parameter optional
/// with the same defaults. Errors answer JSON like every other endpoint.
/// </summary>
internal static class ReportEndpoint
{
    public const string Name = "monitoring-report";

    private const string Path = "/report/{view}";

    public static void Map(RouteGroupBuilder monitoring, EndpointRunner runner)
    {
        monitoring.MapGet(Path, (HttpContext context, string view, CancellationToken _) => runner.RunAsync(context, Name, (c, r) => HandleAsync(c, r, view)))
            .WithName("GetReport").WithSummary("A view's monitoring report as one self-contained HTML page: profile, baseline-against-current histograms, drift, freshness and validation.")
            .Produces(StatusCodes.Status200OK, contentType: "text/html")
            .Produces(StatusCodes.Status400BadRequest, contentType: "application/json")
            .Produces(StatusCodes.Status404NotFound, contentType: "application/json");
        monitoring.MapRefusals(runner, Path, HttpMethods.Get, Name);
    }

    public static async Task HandleAsync(HttpContext context, EndpointRunner runner, string view)
    {
        var query = context.Request.Query;
        var time = EndpointRunner.Clock(context);
        var request = new ReportRequest
        {
            View = view,
            CurrentStart = MonitoringQuery.Time(query, "current_start", time),
            CurrentEnd = MonitoringQuery.Time(query, "current_end", time),
            BaselineStart = MonitoringQuery.Time(query, "baseline_start", time),
            BaselineEnd = MonitoringQuery.Time(query, "baseline_end", time),
            BaselineProfile = MonitoringQuery.Text(query, "baseline_profile"),
            BaselineDataset = MonitoringQuery.Text(query, "baseline_dataset"),
        };
        var report = await MonitoringReportBuilder.BuildAsync(runner.Store, request, context.RequestAborted);
        var html = ReportWriter.Html(report);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(html, context.RequestAborted);
    }
}
