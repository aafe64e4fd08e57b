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
        JsonBody.WriteObject(context.Response, writer =>
        {
            writer.WriteString("status"u8, "ok"u8);
            writer.WriteString("project"u8, store.Project);
            writer.WriteNumber("registry_version"u8, version);
            writer.WriteString("online_store"u8, store.OnlineStoreName);
        });
    }
}
