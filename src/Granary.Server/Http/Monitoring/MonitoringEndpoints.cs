using Microsoft.AspNetCore.Routing;

namespace Granary.Server.Http.Monitoring;

/// <summary>The monitoring API under <c>/api/v1/monitoring</c>: freshness, validation, profiles, drift, consistency, reports and alerts (docs/quality.md).</summary>
internal static class MonitoringEndpoints
{
    public static void Map(RouteGroupBuilder monitoring, EndpointRunner runner)
    {
        FreshnessEndpoint.Map(monitoring, runner);
        ValidationEndpoint.Map(monitoring, runner);
        ProfileEndpoints.Map(monitoring, runner);
        DriftEndpoint.Map(monitoring, runner);
        ConsistencyEndpoint.Map(monitoring, runner);
        ReportEndpoint.Map(monitoring, runner);
        AlertsEndpoint.Map(monitoring, runner);
    }
}
