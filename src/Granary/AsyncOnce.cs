namespace Granary;

/// <summary>
/// Runs an asynchronous initialization once, on first need: concurrent callers wait for the one run, later callers
/// pay one volatile read. A failed run is retried by the next caller.
/// </summary>
internal sealed class AsyncOnce(Func<CancellationToken, Task> initialize) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private bool _done;

    public bool IsDone => Volatile.Read(ref _done);

    public async ValueTask EnsureAsync(CancellationToken cancellationToken)
    {
        if (IsDone)
        {
            return;
        }

        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (!_done)
            {
                await initialize(cancellationToken);
                Volatile.Write(ref _done, true);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose() => _lock.Dispose();
}
