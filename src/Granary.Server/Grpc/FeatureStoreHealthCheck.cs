using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Server.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Granary.Server.Grpc;

/// <summary>
/// The health check behind <c>grpc.health.v1.Health</c>: SERVING exactly when <c>GET /health</c> would answer 200,
/// NOT_SERVING with the same stable code and detail otherwise.
/// </summary>
internal sealed class FeatureStoreHealthCheck(FeatureStore store) : IHealthCheck
{
    /// <summary>The check's registered name.</summary>
    public const string Name = "granary";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // Not a call through GranaryErrorInterceptor (the health service is gRPC's own), so its span starts here.
        using var activity = ServerTelemetry.StartGrpc(ServerTelemetry.GrpcHealthCheckMethod);
        try
        {
            var version = await FeatureStoreProbe.ProbeAsync(store, cancellationToken);
            ServerTelemetry.Registry(version);
            return HealthCheckResult.Healthy($"Project '{store.Project}', registry version {version}, {store.OnlineStoreName} online store.");
        }
        catch (GranaryException e)
        {
            ServerTelemetry.Failed(activity, e.Code, e);
            return new HealthCheckResult(context.Registration.FailureStatus, $"{e.Code}: {e.Message}");
        }
    }
}
