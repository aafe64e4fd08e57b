namespace Granary.Client;

/// <summary>
/// One feature's answer for every entity of a read: per entity a value (<see cref="long"/>, <see cref="double"/>,
/// <see cref="bool"/>, <see cref="string"/>, a list of them as <c>object?[]</c>, or null), a status and an event time
/// (null where the server has none). Transports build it; <see cref="OnlineFeatures"/> reads it.
/// </summary>
internal sealed class FeatureColumn
{
    public FeatureColumn(object?[] values, FeatureStatus[] statuses, DateTimeOffset?[] eventTimestamps)
    {
        Values = values;
        Statuses = statuses;
        EventTimestamps = eventTimestamps;
    }

    public object?[] Values { get; }

    public FeatureStatus[] Statuses { get; }

    public DateTimeOffset?[] EventTimestamps { get; }
}
