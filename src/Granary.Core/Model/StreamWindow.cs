namespace Granary.Core.Model;

/// <summary>
/// One window of a stream aggregation as written in a definition: <c>1h</c>, <c>{window: 7d, hop: 1h}</c> or
/// <c>lifetime</c>. The value at instant <c>t</c> aggregates the events with <c>floor((t - W) / h) * h &lt;= ts &lt;= t</c>
/// (see docs/streaming.md).
/// </summary>
/// <param name="Length">The window's length <c>W</c>; <see cref="TimeSpan.Zero"/> for <c>lifetime</c>.</param>
/// <param name="Hop">The step by which its old edge moves; null to take the view's <see cref="StreamSettings.Hop"/>.</param>
public readonly record struct StreamWindow(TimeSpan Length, TimeSpan? Hop = null)
{
    /// <summary>Every event ever seen: no old edge and no hop.</summary>
    public static StreamWindow Lifetime { get; } = new(TimeSpan.Zero);

    public bool IsLifetime => Length == TimeSpan.Zero;
}
