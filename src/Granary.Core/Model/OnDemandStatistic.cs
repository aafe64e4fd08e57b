namespace Granary.Core.Model;

/// <summary>
/// The statistics of one source feature that an on-demand view's <c>zscore</c> and <c>minmax</c> read, taken from
/// the source view's newest stored profile when the view is planned and kept with its definition, so every read of
/// one registry version (online, training data, any process) scales with the same numbers.
/// </summary>
/// <param name="Feature">The source feature as expressions name it, <c>view.feature</c>.</param>
/// <param name="ProfileId">The stored profile the numbers come from (<c>granary profile list</c>).</param>
public sealed record OnDemandStatistic(string Feature, string ProfileId)
{
    public double? Mean { get; init; }

    /// <summary>The sample standard deviation.</summary>
    public double? StdDev { get; init; }

    public double? Min { get; init; }

    public double? Max { get; init; }
}
