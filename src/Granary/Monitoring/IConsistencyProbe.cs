namespace Granary.Monitoring;

/// <summary>
/// Measures how often a view's online values agree with the offline ones for event times in [start, end), as a share
/// (0..1); null when there was nothing to compare. A <c>consistency_below</c> alert is "not evaluated" without one.
/// </summary>
internal interface IConsistencyProbe
{
    Task<double?> MeasureAsync(string view, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken);
}
