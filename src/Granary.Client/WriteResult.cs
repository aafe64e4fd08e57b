namespace Granary.Client;

/// <summary>What a write to the online store wrote (<c>POST /write-to-online-store</c>'s answer).</summary>
public sealed class WriteResult
{
    internal WriteResult(long rows, long onlineWritten)
    {
        Rows = rows;
        OnlineWritten = onlineWritten;
    }

    /// <summary>Rows accepted.</summary>
    public long Rows { get; }

    /// <summary>Online values changed (older rows lose to newer ones).</summary>
    public long OnlineWritten { get; }
}
