namespace Granary.Client;

/// <summary>
/// One feature's answer for every entity of a read: per entity a value (<see cref="AnsweredValue"/>: an integer, a
/// double, a boolean, a string, a list, or null), a status and an event time (null where the server has none).
/// Transports build it; <see cref="OnlineFeatures"/> reads it.
/// </summary>
internal sealed class FeatureColumn
{
    public FeatureColumn(AnsweredValue[] values, FeatureStatus[] statuses, DateTimeOffset?[] eventTimestamps)
    {
        Values = values;
        Statuses = statuses;
        EventTimestamps = eventTimestamps;
    }

    public AnsweredValue[] Values { get; }

    public FeatureStatus[] Statuses { get; }

    public DateTimeOffset?[] EventTimestamps { get; }
}
