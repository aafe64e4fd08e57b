using Granary.Registry.Monitoring;

namespace Granary.Registry.Diagnostics;

// The monitoring state: spans granary.registry.record_newest_events, .get_newest_events.
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
}
