namespace Granary.Streams;

/// <summary>What <see cref="FeatureStore.ResetStreamAsync"/> did.</summary>
/// <param name="Source">The stream source whose position moved; every stream view over it is replayed.</param>
/// <param name="Views">Those views.</param>
/// <param name="From">The instant the source replays from, in the source's own time (when it received each message).</param>
/// <param name="Redelivered">Messages the source will deliver again; null when it cannot say.</param>
public sealed record StreamResetResult(string Source, IReadOnlyList<string> Views, DateTimeOffset From, long? Redelivered);
