using Granary.Consistency;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Granary.Server.Http.Monitoring;

/// <summary>
/// <c>GET /api/v1/monitoring/consistency/{view}?start=&amp;end=</c>: the online/offline consistency check of
/// <c>granary consistency</c>, with its JSON (<see cref="ConsistencyJson"/>). Times are ISO-8601 (UTC unless a zone is
/// given) or <c>now</c>.
/// </summary>
internal static class ConsistencyEndpoint
{
    public const string Name = "monitoring-consistency";

    private const string Path = "/consistency/{view}";

    /// <summary>Maps the endpoint and its method refusals under <paramref name="monitoring"/> (<c>/api/v1/monitoring</c>).</summary>
    public static void Map(RouteGroupBuilder monitoring, EndpointRunner runner)
    {
        monitoring.MapGet(Path, (HttpContext context, string view, CancellationToken _) => runner.RunAsync(context, Name, (c, r) => HandleAsync(c, r, view)))
            .WithName("GetConsistency").WithSummary("How the values a view served in [start, end) agree with the offline store re-joined at the served instants.")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces(StatusCodes.Status400BadRequest, contentType: "application/json")
            .Produces(StatusCodes.Status404NotFound, contentType: "application/json");
        monitoring.MapRefusals(runner, Path, HttpMethods.Get, Name);
    }

    public static async Task HandleAsync(HttpContext context, EndpointRunner runner, string view)
    {
        var query = context.Request.Query;
        var time = EndpointRunner.Clock(context);
        var request = new ConsistencyRequest
        {
            View = view,
            Start = MonitoringQuery.Time(query, "start", time) ?? throw Missing("start"),
            End = MonitoringQuery.Time(query, "end", time) ?? throw Missing("end"),
        };
        var report = await runner.Store.ConsistencyAsync(request, context.RequestAborted);
        JsonBody.Write(context.Response, StatusCodes.Status200OK, report, ConsistencyJson.Write);
    }

    private static GranaryException Missing(string name) =>
        new(ErrorCodes.InvalidArgument, $"{name} is required: the served period is [start, end).");
}
