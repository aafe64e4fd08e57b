namespace Granary.Push;

/// <summary>
/// What a push did: rows accepted, online values changed (older rows lose to newer ones; for a stream feature view,
/// each event counted), views written, and <see cref="LateRows"/>.
/// </summary>
public sealed record PushResult(int Rows, int OnlineWritten, bool Offline, IReadOnlyList<string> Views)
{
    /// <summary>
    /// Rows rejected because their source feeds stream feature views and they were later than the views'
    /// <c>allowed_lateness</c> behind the newest event seen from the source: neither applied online nor logged.
    /// </summary>
    public int LateRows { get; init; }
}
