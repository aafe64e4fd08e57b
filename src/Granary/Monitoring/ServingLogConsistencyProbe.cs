using Granary.Consistency;

namespace Granary.Monitoring;

/// <summary>
/// The consistency check of <c>consistency_below</c> alerts: <see cref="FeatureStore.ConsistencyAsync"/> over the rows
/// served in the alert's period; nothing to compare (null) when the serving log holds none.
/// </summary>
internal sealed class ServingLogConsistencyProbe(FeatureStore store) : IConsistencyProbe
{
    public async Task<double?> MeasureAsync(string view, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var report = await store.MeasureConsistencyAsync(new ConsistencyRequest { View = view, Start = start, End = end }, cancellationToken);
        return report?.Consistency;
    }
}
