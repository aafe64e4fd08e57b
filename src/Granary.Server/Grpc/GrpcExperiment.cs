using Granary.OnlineServing;
using Grpc.Core;

namespace Granary.Server.Grpc;

/// <summary>
/// An experiment over gRPC, on both serving services: the request names it in metadata (<c>granary-experiment</c>,
/// <c>granary-unit-id</c>), since neither Feast's request nor ours has a field for it, and the variant served comes
/// back in response headers (<c>granary-experiment</c>, <c>granary-experiment-variant</c>); Granary's own response
/// carries it in its <c>experiment</c> field too.
/// </summary>
internal static class GrpcExperiment
{
    public const string ExperimentMetadata = "granary-experiment";

    public const string UnitIdMetadata = "granary-unit-id";

    public const string VariantMetadata = "granary-experiment-variant";

    public static string? ExperimentOf(ServerCallContext context) => Value(context, ExperimentMetadata);

    public static string? UnitIdOf(ServerCallContext context) => Value(context, UnitIdMetadata);

    /// <summary>Sends the variant served in the response headers; nothing for an answer without an experiment.</summary>
    public static Task WriteAsync(ServerCallContext context, ServedExperiment? served) =>
        served is null
            ? Task.CompletedTask
            : context.WriteResponseHeadersAsync(new Metadata { { ExperimentMetadata, served.Name }, { VariantMetadata, served.Variant } });

    private static string? Value(ServerCallContext context, string key) =>
        context.RequestHeaders.GetValue(key) is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
