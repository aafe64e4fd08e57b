namespace Granary.Client.Retries;

/// <summary>
/// Runs one call's attempts: the first, then up to <see cref="GranaryClientOptions.RetryCount"/> retries of
/// failures <see cref="RetryPolicy"/> allows, each after a <see cref="Backoff"/> delay on the options' clock. The
/// caller's cancellation ends the wait at once. State is passed through rather than captured, so a call allocates
/// no closure.
/// </summary>
internal sealed class RetryRunner
{
    private readonly int _retries;
    private readonly Backoff _backoff;
    private readonly TimeProvider _time;

    public RetryRunner(int retries, Backoff backoff, TimeProvider time)
    {
        _retries = Math.Max(0, retries);
        _backoff = backoff;
        _time = time;
    }

    public async Task<T> RunAsync<TState, T>(
        Func<TState, CancellationToken, Task<T>> attempt, TState state, OperationKind operation, bool hasIdempotencyKey, CancellationToken cancellationToken)
    {
        for (var retry = 0; ; retry++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return await attempt(state, cancellationToken).ConfigureAwait(false);
            }
            catch (GranaryClientException e) when (retry < _retries && RetryPolicy.ShouldRetry(e, operation, hasIdempotencyKey))
            {
                var delay = _backoff.Delay(retry);
                if (delay > TimeSpan.Zero)
                {
#if NET
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
#else
                    await _time.Delay(delay, cancellationToken).ConfigureAwait(false);
#endif
                }
            }
        }
    }
}
