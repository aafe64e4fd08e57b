namespace Granary.Client;

/// <summary>Where pushed rows go (Feast's <c>to</c>).</summary>
public enum PushTarget
{
    /// <summary>The online store only (the server's default).</summary>
    Online,

    /// <summary>The offline store only.</summary>
    Offline,

    /// <summary>Both stores.</summary>
    OnlineAndOffline,
}
