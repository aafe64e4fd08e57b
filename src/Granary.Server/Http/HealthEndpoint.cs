using Granary.Contracts.Http;
using Granary.Server.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Granary.Server.Http;

/// <summary>
/// <c>GET /health</c>: 200 when the registry and the online store both answer now (<see cref="FeatureStoreProbe"/>),
/// 503 with the stable code of whichever did not. Load balancers and Kubernetes probes poll it.
/// </summary>
internal static class HealthEndpoint
{
    public const string Name = "health";

    public static async Task HandleAsync(HttpContext context, EndpointRunner runner)
    {
        var store = runner.Store;
        var version = await FeatureStoreProbe.ProbeAsync(store, context.RequestAborted);
        ServerTelemetry.Registry(version);
        JsonBody.Write(context.Response, StatusCodes.Status200OK, (Project: store.Project, Version: version, OnlineStore: store.OnlineStoreName), static (writer, health) =>
            HealthResponseJson.Write(writer, health.Project, health.Version, health.OnlineStore));
    }
}
