using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace Granary.Server.Http;

/// <summary>
/// Who an online read is for, on both wires: the caller (the remote address until the server authenticates callers,
/// then their API key), named in the warning that a deprecated feature was served; and the model the request names
/// (HTTP header <c>X-Granary-Model</c>, gRPC metadata <c>x-granary-model</c>), recorded as the features' user.
/// </summary>
internal static class ServingCaller
{
    public const string ModelHeader = "X-Granary-Model";

    /// <summary>gRPC metadata keys are lower case.</summary>
    public const string ModelMetadata = "x-granary-model";

    public static string? Of(HttpContext context) => context.Connection.RemoteIpAddress?.ToString();

    public static string? ModelOf(HttpContext context) =>
        context.Request.Headers.TryGetValue(ModelHeader, out var values) && values.Count > 0 && !string.IsNullOrWhiteSpace(values[0]) ? values[0]!.Trim() : null;

    public static string? Of(ServerCallContext context) =>
        context.GetHttpContext() is { } http ? Of(http) : context.Peer;

    public static string? ModelOf(ServerCallContext context) =>
        context.RequestHeaders.GetValue(ModelMetadata) is { Length: > 0 } model && !string.IsNullOrWhiteSpace(model) ? model.Trim() : null;
}
