namespace Granary.Push;

/// <summary>What a push did: rows accepted, online values changed (older rows lose to newer ones), views written.</summary>
public sealed record PushResult(int Rows, int OnlineWritten, bool Offline, IReadOnlyList<string> Views);
