namespace Granary.Contracts.Http;

/// <summary>Where pushed rows go: Feast's <c>to</c> (<see cref="PushRequestJson.To"/>).</summary>
internal enum PushTo
{
    Online,
    Offline,
    OnlineAndOffline,
}
