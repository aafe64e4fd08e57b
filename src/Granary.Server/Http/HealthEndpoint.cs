using Granary.Errors;
using Microsoft.AspNetCore.Http;

namespace Granary.Server.Http;

/// <summary>
/// <c>GET /health</c>: 200 when the registry and the online store both answer now (each is asked, not assumed from
/// a cache), 503 with the stable code of whichever did not. Load balancers and Kubernetes probes poll it.
/// </summary>
internal static class HealthEndpoint
{
    public const string Name = "health";

    // A view name no repository can define (identifiers cannot contain '/'): the read touches the store and nothing else.
    private const string ProbeView = "granary/health";

    public static async Task HandleAsync(HttpContext context, EndpointRunner runner)
    {
        var store = runner.Store;
        var cancellationToken = context.RequestAborted;
        try
        {
            if ((await store.GetRegistryAsync(cancellationToken)).Version > 0)
            {
                // Asks for the version: a registry that stopped answering fails here even while the cache is fresh.
                await store.Registry.RefreshAsync(cancellationToken);
            }
        }
        catch (Exception e) when (e is not GranaryException and not OperationCanceledException)
        {
            throw new GranaryException(ErrorCodes.RegistryUnavailable, $"The registry does not answer: {e.Message}", e);
        }

        try
        {
            await store.Online.InitializeAsync(cancellationToken);
            await store.Online.GetWatermarkAsync(ProbeView, cancellationToken);
        }
        catch (Exception e) when (e is not GranaryException and not OperationCanceledException)
        {
            throw new GranaryException(ErrorCodes.OnlineStoreUnavailable, $"The {store.Online.Name} online store does not answer: {e.Message}", e);
        }

        var version = (await store.GetRegistryAsync(cancellationToken)).Version;
        JsonBody.WriteObject(context.Response, writer =>
        {
            writer.WriteString("status"u8, "ok"u8);
            writer.WriteString("project"u8, store.Project);
            writer.WriteNumber("registry_version"u8, version);
            writer.WriteString("online_store"u8, store.Online.Name);
        });
    }
}
