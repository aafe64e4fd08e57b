using System.Diagnostics;
using Granary.Core.Diagnostics;

namespace Granary.Online.Diagnostics;

/// <summary>
/// Wraps an online store so that each of its calls is a span of the <c>Granary.Online</c> activity source
/// (<c>granary.online_store.read</c>, <c>.write</c>, ...; docs/observability.md lists their attributes). Everything
/// else passes straight through.
/// </summary>
/// <remarks>
/// A decorator rather than spans inside each store: every store, including ones not written yet, gets the same spans
/// with the same attributes, and the check that keeps the serving path as it was lives in one place. While nobody
/// listens to the source (no OpenTelemetry tracing, no <see cref="ActivityListener"/>), each call is the inner
/// store's own call behind one branch: no span, no state machine, the embedded store's synchronous reads stay
/// synchronous. Spans start inside the async methods, so <see cref="Activity.Current"/> is restored for the caller.
/// </remarks>
internal sealed class TracedOnlineStore : IOnlineStore
{
    private readonly IOnlineStore _inner;
    private readonly string? _dbSystemName;
    private readonly ActivityKind _kind;

    /// <param name="inner">The store whose calls become spans.</param>
    /// <param name="dbSystemName">
    /// OpenTelemetry's <c>db.system.name</c> of the database behind the store (<c>redis</c>), or null for a store inside
    /// the process (the embedded store), whose spans are then internal rather than client spans.
    /// </param>
    public TracedOnlineStore(IOnlineStore inner, string? dbSystemName = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _dbSystemName = dbSystemName;
        _kind = dbSystemName is null ? ActivityKind.Internal : ActivityKind.Client;
    }

    /// <inheritdoc />
    public string Name => _inner.Name;

    /// <summary>The store whose calls become spans.</summary>
    internal IOnlineStore Inner => _inner;

    /// <inheritdoc />
    /// <remarks>The wrapped store's capability, untraced: only the calls of <see cref="IOnlineStore"/> itself are spans.</remarks>
    public TCapability? GetCapability<TCapability>()
        where TCapability : class => _inner.GetCapability<TCapability>();

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        OnlineTelemetry.Source.HasListeners() ? InitializeTracedAsync(cancellationToken) : _inner.InitializeAsync(cancellationToken);

    /// <inheritdoc />
    public Task<int> WriteAsync(IReadOnlyList<OnlineWrite> writes, CancellationToken cancellationToken = default) =>
        OnlineTelemetry.Source.HasListeners() ? WriteTracedAsync(writes, cancellationToken) : _inner.WriteAsync(writes, cancellationToken);

    /// <inheritdoc />
    public ValueTask ReadAsync(IReadOnlyList<OnlineKey> keys, byte[]?[] records, CancellationToken cancellationToken = default) =>
        OnlineTelemetry.Source.HasListeners() ? ReadTracedAsync(keys, records, cancellationToken) : _inner.ReadAsync(keys, records, cancellationToken);

    /// <inheritdoc />
    public Task<DateTimeOffset?> GetWatermarkAsync(string view, CancellationToken cancellationToken = default) =>
        OnlineTelemetry.Source.HasListeners() ? GetWatermarkTracedAsync(view, cancellationToken) : _inner.GetWatermarkAsync(view, cancellationToken);

    /// <inheritdoc />
    public Task SetWatermarkAsync(string view, DateTimeOffset watermark, CancellationToken cancellationToken = default) =>
        OnlineTelemetry.Source.HasListeners()
            ? SetWatermarkTracedAsync(view, watermark, cancellationToken)
            : _inner.SetWatermarkAsync(view, watermark, cancellationToken);

    /// <inheritdoc />
    public Task TeardownAsync(CancellationToken cancellationToken = default) =>
        OnlineTelemetry.Source.HasListeners() ? TeardownTracedAsync(cancellationToken) : _inner.TeardownAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _inner.DisposeAsync();

    private async Task InitializeTracedAsync(CancellationToken cancellationToken)
    {
        using var activity = Start("initialize", "granary.online_store.initialize");
        try
        {
            await _inner.InitializeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (GranaryTelemetry.Failed(activity, e))
        {
            throw;
        }
    }

    private async Task<int> WriteTracedAsync(IReadOnlyList<OnlineWrite> writes, CancellationToken cancellationToken)
    {
        using var activity = Start("write", "granary.online_store.write");
        activity?.SetTag(OnlineTelemetry.Writes, writes?.Count);
        try
        {
            var written = await _inner.WriteAsync(writes!, cancellationToken).ConfigureAwait(false);
            activity?.SetTag(OnlineTelemetry.Written, written);
            return written;
        }
        catch (Exception e) when (GranaryTelemetry.Failed(activity, e))
        {
            throw;
        }
    }

    private async ValueTask ReadTracedAsync(IReadOnlyList<OnlineKey> keys, byte[]?[] records, CancellationToken cancellationToken)
    {
        using var activity = Start("read", "granary.online_store.read");
        activity?.SetTag(OnlineTelemetry.Keys, keys?.Count);
        try
        {
            await _inner.ReadAsync(keys!, records, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (GranaryTelemetry.Failed(activity, e))
        {
            throw;
        }
    }

    private async Task<DateTimeOffset?> GetWatermarkTracedAsync(string view, CancellationToken cancellationToken)
    {
        using var activity = Start("get_watermark", "granary.online_store.get_watermark");
        activity?.SetTag(OnlineTelemetry.FeatureView, view);
        try
        {
            return await _inner.GetWatermarkAsync(view, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (GranaryTelemetry.Failed(activity, e))
        {
            throw;
        }
    }

    private async Task SetWatermarkTracedAsync(string view, DateTimeOffset watermark, CancellationToken cancellationToken)
    {
        using var activity = Start("set_watermark", "granary.online_store.set_watermark");
        activity?.SetTag(OnlineTelemetry.FeatureView, view);
        try
        {
            await _inner.SetWatermarkAsync(view, watermark, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (GranaryTelemetry.Failed(activity, e))
        {
            throw;
        }
    }

    private async Task TeardownTracedAsync(CancellationToken cancellationToken)
    {
        using var activity = Start("teardown", "granary.online_store.teardown");
        try
        {
            await _inner.TeardownAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (GranaryTelemetry.Failed(activity, e))
        {
            throw;
        }
    }

    // Null when no listener samples it: the call then runs untraced.
    private Activity? Start(string operation, string spanName)
    {
        var activity = OnlineTelemetry.Source.StartActivity(spanName, _kind);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(OnlineTelemetry.DbSystemName, _dbSystemName);
            activity.SetTag(OnlineTelemetry.DbOperationName, operation);
            activity.SetTag(OnlineTelemetry.StoreType, _inner.Name);
        }

        return activity;
    }

    // An exception filter, so the span is marked while the stack is still the throw's; never catches.
}
