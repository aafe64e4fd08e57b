namespace Granary.Server.Diagnostics;

/// <summary>
/// Whether the server can serve now (<see cref="FeatureStore.CheckHealthAsync"/>: the registry and the online store
/// are each asked). One probe behind both <c>GET /health</c> and gRPC's <c>grpc.health.v1.Health</c>, so they never disagree.
/// </summary>
internal static class FeatureStoreProbe
{
    /// <summary>Returns the registry version readers see; throws the stable code of whichever part did not answer.</summary>
    public static Task<long> ProbeAsync(FeatureStore store, CancellationToken cancellationToken) => store.CheckHealthAsync(cancellationToken);
}
