namespace Granary.Client;

/// <summary>What a push wrote (<c>POST /push</c>'s answer).</summary>
public sealed class PushResult
{
    internal PushResult(long rows, long onlineWritten, bool offline, IReadOnlyList<string> featureViews)
    {
        Rows = rows;
        OnlineWritten = onlineWritten;
        Offline = offline;
        FeatureViews = featureViews;
    }

    /// <summary>Rows accepted.</summary>
    public long Rows { get; }

    /// <summary>Online values changed: a row older than the stored one loses to it and is not counted.</summary>
    public long OnlineWritten { get; }

    /// <summary>Whether the rows were logged to the offline store.</summary>
    public bool Offline { get; }

    /// <summary>The feature views the rows went to.</summary>
    public IReadOnlyList<string> FeatureViews { get; }
}
