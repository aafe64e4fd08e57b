using Granary.Registry.Monitoring;

namespace Granary.Registry.Diagnostics;

// The monitoring state: spans granary.registry.record_newest_events, .get_newest_events, .record_alert_firings,
// .get_alert_firings.
internal sealed partial class TracedRegistryStore
{
    /// <inheritdoc />
    public Task RecordNewestEventsAsync(string project, IReadOnlyList<ViewNewestEvent> events, CancellationToken cancellationToken = default) =>
        Listened
            ? TraceAsync("record_newest_events", project, async () => { await _inner.RecordNewestEventsAsync(project, events, cancellationToken).ConfigureAwait(false); return true; })
            : _inner.RecordNewestEventsAsync(project, events, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ViewNewestEvent>> GetNewestEventsAsync(string project, CancellationToken cancellationToken = default) =>
        Listened ? TraceAsync("get_newest_events", project, () => _inner.GetNewestEventsAsync(project, cancellationToken)) : _inner.GetNewestEventsAsync(project, cancellationToken);

    /// <inheritdoc />
    public Task RecordAlertFiringsAsync(string project, IReadOnlyList<AlertFiring> firings, CancellationToken cancellationToken = default) =>
        Listened
            ? TraceAsync("record_alert_firings", project, async () => { await _inner.RecordAlertFiringsAsync(project, firings, cancellationToken).ConfigureAwait(false); return true; })
            : _inner.RecordAlertFiringsAsync(project, firings, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AlertFiring>> GetAlertFiringsAsync(string project, CancellationToken cancellationToken = default) =>
        Listened ? TraceAsync("get_alert_firings", project, () => _inner.GetAlertFiringsAsync(project, cancellationToken)) : _inner.GetAlertFiringsAsync(project, cancellationToken);
}
