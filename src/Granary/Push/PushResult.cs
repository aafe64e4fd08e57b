using Granary.Quality.Validation;

namespace Granary.Push;

/// <summary>
/// What a push did: rows accepted (written), online values changed (older rows lose to newer ones; for a stream feature view,
/// each event counted), views written, and <see cref="LateRows"/>.
/// </summary>
public sealed record PushResult(int Rows, int OnlineWritten, bool Offline, IReadOnlyList<string> Views)
{
    /// <summary>
    /// Rows rejected because their source feeds stream feature views and they were later than the views'
    /// <c>allowed_lateness</c> behind the newest event seen from the source: neither applied online nor logged.
    /// </summary>
    public int LateRows { get; init; }

    /// <summary>Rows dropped because they fail an <c>error</c> validation rule (only with <see cref="PushRequest.AllowPartial"/>): neither logged nor written.</summary>
    public int RejectedRows { get; init; }

    /// <summary>What each validation rule of the views found in the pushed rows, <c>warn</c> rules included; empty when every row passed.</summary>
    public IReadOnlyList<RuleViolations> Validation { get; init; } = [];
}
