namespace Granary.Client;

/// <summary>What a push wrote (<c>POST /push</c>'s answer).</summary>
public sealed class PushResult
{
    internal PushResult(long rows, long onlineWritten, bool offline, IReadOnlyList<string> featureViews, long lateRows = 0, long rejectedRows = 0)
    {
        RejectedRows = rejectedRows;
        Rows = rows;
        OnlineWritten = onlineWritten;
        Offline = offline;
        FeatureViews = featureViews;
        LateRows = lateRows;
    }

    /// <summary>Rows accepted.</summary>
    public long Rows { get; }

    /// <summary>Online values changed: a row older than the stored one loses to it and is not counted.</summary>
    public long OnlineWritten { get; }

    /// <summary>Whether the rows were logged to the offline store.</summary>
    public bool Offline { get; }

    /// <summary>The feature views the rows went to.</summary>
    public IReadOnlyList<string> FeatureViews { get; }

    /// <summary>
    /// Rows rejected as later than the allowed lateness of the source's stream feature views (older than the newest
    /// event seen from the source by more than it): neither applied online nor logged offline. Zero for a source that
    /// feeds no stream feature view, and from a server too old to report it.
    /// </summary>
    public long LateRows { get; }

    /// <summary>
    /// Rows dropped because they fail an <c>error</c> validation rule of a view (only with
    /// <see cref="PushRequest.AllowPartial"/>): neither written nor logged. Zero from a server too old to report it.
    /// </summary>
    public long RejectedRows { get; }
}
