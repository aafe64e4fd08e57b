namespace Granary.Push;

/// <summary>Where pushed rows go: Feast's <c>to</c> values <c>online</c>, <c>offline</c> and <c>online_and_offline</c>.</summary>
public enum PushTarget
{
    Online,
    Offline,
    OnlineAndOffline,
}
