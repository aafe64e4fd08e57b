using Granary.Registry.Diagnostics;
using Granary.Registry.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Granary.Registry;

/// <summary>
/// A reader's view of the registry (the server, the CLI): keeps the last snapshot in memory and picks up applies and
/// catalog writes without a restart by checking the registry's version and catalog stamp (one cheap query) at most
/// once per refresh interval. Usage records move neither, so they never cause a reload.
/// Thread-safe; readers never block each other, and a refresh swaps the whole snapshot at once.
/// </summary>
/// <remarks>
/// Once a snapshot is loaded, readers never wait for the registry: when the interval has passed, the reader that
/// notices starts one refresh in the background and every reader keeps the snapshot it has until that refresh swaps
/// in a new one. A serving path therefore never stalls on the registry's latency, and a registry that stops
/// answering leaves servers serving the last definitions they loaded (<see cref="RefreshFailed"/> says so, once per
/// interval) rather than failing every request. Both are also logged when a logger is given (events 4101 and 4102).
/// </remarks>
/// <param name="store">The registry to read.</param>
/// <param name="project">The project whose definitions are cached.</param>
/// <param name="refreshInterval">How often, at most, the registry's version and catalog stamp are checked.</param>
/// <param name="time">The clock of the interval; the system's by default.</param>
/// <param name="logger">Where version changes and failed refreshes are reported; none by default.</param>
internal sealed class RegistryCache(IRegistryStore store, string project, TimeSpan refreshInterval, TimeProvider? time = null, ILogger? logger = null) : IDisposable
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly SemaphoreSlim _refreshLock = new(1, 1);
    private RegistryContents? _current;
    private long _checkedAt;
    private int _refreshing;
    private volatile bool _disposed;

    /// <summary>Raised after a refresh found a new version or a catalog change.</summary>
    public event Action<RegistryContents>? Changed;

    /// <summary>Raised when a background refresh fails; readers keep the snapshot they have, and it is tried again after the interval.</summary>
    public event Action<Exception>? RefreshFailed;

    public string Project => project;

    /// <summary>The version of the snapshot in memory; 0 before the first load (or for an empty registry).</summary>
    public long Version => Volatile.Read(ref _current)?.Version ?? 0;

    /// <summary>
    /// The registry's contents. The first call loads them; later calls answer from memory at once and, when the
    /// interval has passed since the last check, start a background refresh.
    /// </summary>
    public ValueTask<RegistryContents> GetAsync(CancellationToken cancellationToken = default)
    {
        var current = Volatile.Read(ref _current);
        if (current is null)
        {
            return LoadAsync(cancellationToken);
        }

        if (Stale())
        {
            RefreshInBackground();
        }

        return new ValueTask<RegistryContents>(current);
    }

    /// <summary>Checks the registry's version and catalog stamp now and reloads if either moved; returns true when it did.</summary>
    public Task<bool> RefreshAsync(CancellationToken cancellationToken = default) => RefreshAsync(onlyIfStale: false, cancellationToken);

    private async ValueTask<RegistryContents> LoadAsync(CancellationToken cancellationToken)
    {
        await RefreshAsync(onlyIfStale: true, cancellationToken);
        return Volatile.Read(ref _current)!;
    }

    private void RefreshInBackground()
    {
        // One at a time: whoever notices first starts it, everyone else carries on with the snapshot.
        if (Interlocked.CompareExchange(ref _refreshing, 1, 0) != 0)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await RefreshAsync(onlyIfStale: true, CancellationToken.None);
            }
            catch (Exception e)
            {
                // Tried again after the interval, not on the next read: a registry that is down is not hammered.
                Volatile.Write(ref _checkedAt, _time.GetTimestamp());
                if (!_disposed)
                {
                    RegistryLog.RefreshFailed(_logger, project, Version, refreshInterval, e);
                    RefreshFailed?.Invoke(e);
                }
            }
            finally
            {
                Volatile.Write(ref _refreshing, 0);
            }
        });
    }

    private bool Stale() => _time.GetElapsedTime(Volatile.Read(ref _checkedAt)) >= refreshInterval;

    private async Task<bool> RefreshAsync(bool onlyIfStale, CancellationToken cancellationToken)
    {
        RegistryContents contents;
        long previousVersion;
        await _refreshLock.WaitAsync(cancellationToken);
        try
        {
            // Callers that queued behind another refresh find the snapshot fresh and need not ask the registry again.
            if (onlyIfStale && Volatile.Read(ref _current) is not null && !Stale())
            {
                return false;
            }

            var current = _current;
            var stamp = await store.GetStampAsync(project, cancellationToken);
            Volatile.Write(ref _checkedAt, _time.GetTimestamp());
            if (current is not null && current.Version == stamp.Version && current.Snapshot.CatalogStamp == stamp.CatalogStamp)
            {
                return false;
            }

            contents = new RegistryContents(await store.LoadAsync(project, cancellationToken));
            previousVersion = current?.Version ?? 0;
            Volatile.Write(ref _current, contents);
        }
        finally
        {
            _refreshLock.Release();
        }

        // Outside the lock: a slow or failing handler must not hold up readers.
        if (contents.Version != previousVersion)
        {
            RegistryLog.VersionChanged(_logger, project, previousVersion, contents.Version);
        }

        Changed?.Invoke(contents);
        return true;
    }

    public void Dispose()
    {
        _disposed = true;
        _refreshLock.Dispose();
    }
}
