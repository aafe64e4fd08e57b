using Granary.Registry.Storage;

namespace Granary.Registry;

/// <summary>
/// A reader's view of the registry (the server, the CLI): keeps the last snapshot in memory and picks up applies
/// without a restart by checking the registry's version (one cheap query) at most once per refresh interval.
/// Thread-safe; readers never block each other, and a refresh swaps the whole snapshot at once.
/// </summary>
public sealed class RegistryCache(IRegistryStore store, string project, TimeSpan refreshInterval, TimeProvider? time = null) : IDisposable
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly SemaphoreSlim _refreshLock = new(1, 1);
    private RegistryContents? _current;
    private long _checkedAt;

    /// <summary>Raised after a refresh found a new version.</summary>
    public event Action<RegistryContents>? Changed;

    public string Project => project;

    /// <summary>The registry's contents, refreshed if the interval has passed since the last check.</summary>
    public async ValueTask<RegistryContents> GetAsync(CancellationToken cancellationToken = default)
    {
        if (Fresh() is { } current)
        {
            return current;
        }

        await RefreshAsync(onlyIfStale: true, cancellationToken);
        return Volatile.Read(ref _current)!;
    }

    /// <summary>Checks the registry's version now and reloads if it moved; returns true when it did.</summary>
    public Task<bool> RefreshAsync(CancellationToken cancellationToken = default) => RefreshAsync(onlyIfStale: false, cancellationToken);

    private RegistryContents? Fresh()
    {
        var current = Volatile.Read(ref _current);
        return current is not null && _time.GetElapsedTime(Volatile.Read(ref _checkedAt)) < refreshInterval ? current : null;
    }

    private async Task<bool> RefreshAsync(bool onlyIfStale, CancellationToken cancellationToken)
    {
        RegistryContents contents;
        await _refreshLock.WaitAsync(cancellationToken);
        try
        {
            // Callers that queued behind another refresh find the snapshot fresh and need not ask the registry again.
            if (onlyIfStale && Fresh() is not null)
            {
                return false;
            }

            var current = _current;
            var version = await store.GetVersionAsync(project, cancellationToken);
            Volatile.Write(ref _checkedAt, _time.GetTimestamp());
            if (current is not null && current.Version == version)
            {
                return false;
            }

            contents = new RegistryContents(await store.LoadAsync(project, cancellationToken));
            Volatile.Write(ref _current, contents);
        }
        finally
        {
            _refreshLock.Release();
        }

        // Outside the lock: a slow or failing handler must not hold up readers.
        Changed?.Invoke(contents);
        return true;
    }

    public void Dispose() => _refreshLock.Dispose();
}
