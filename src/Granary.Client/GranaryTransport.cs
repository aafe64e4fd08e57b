namespace Granary.Client;

/// <summary>How a <see cref="GranaryClient"/> reaches the feature server.</summary>
public enum GranaryTransport
{
    /// <summary>Feast's HTTP API (JSON), at <see cref="GranaryClientOptions.BaseAddress"/>.</summary>
    Http,

    /// <summary>Granary's <c>granary.v1.FeatureServing</c> gRPC service, at <see cref="GranaryClientOptions.GrpcAddress"/>.</summary>
    Grpc,
}
