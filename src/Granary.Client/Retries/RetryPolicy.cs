namespace Granary.Client.Retries;

/// <summary>
/// Which failures are retried: transient ones only (503, connection failure, per-attempt timeout), never a 4xx or
/// another 5xx. A read retries freely; a push or write only when the server will recognise the repeat (an
/// idempotency key) or the failure proves the request never reached it, so that a retry never applies rows twice.
/// </summary>
internal static class RetryPolicy
{
    public static bool ShouldRetry(GranaryClientException failure, OperationKind operation, bool hasIdempotencyKey) =>
        failure.IsTransient
        && (operation == OperationKind.Read || hasIdempotencyKey || !failure.MayHaveReachedServer);
}

/// <summary>Whether a call only reads (safe to repeat) or writes (repeatable only with care).</summary>
internal enum OperationKind
{
    Read,
    Write,
}
