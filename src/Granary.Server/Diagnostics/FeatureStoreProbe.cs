using Granary.Contracts.Errors;
using Granary.Core.Errors;

namespace Granary.Server.Diagnostics;

/// <summary>
/// Whether the server can serve now: the registry and the online store are each asked, not assumed from a cache.
/// One probe behind both <c>GET /health</c> and gRPC's <c>grpc.health.v1.Health</c>, so they never disagree.
/// </summary>
internal static class FeatureStoreProbe
{
    // A view name no repository can define (identifiers cannot contain '/'): the read touches the store and nothing else.
    private const string ProbeView = "granary/health";

    /// <summary>Returns the registry version readers see; throws the stable code of whichever part did not answer.</summary>
    public static async Task<long> ProbeAsync(FeatureStore store, CancellationToken cancellationToken)
    {
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

        return (await store.GetRegistryAsync(cancellationToken)).Version;
    }
}
