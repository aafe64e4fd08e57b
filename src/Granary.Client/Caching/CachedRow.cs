namespace Granary.Client.Caching;

/// <summary>One entity's answer for one feature set: per feature (in <see cref="Features"/>' order) its value, status and event time.</summary>
internal sealed class CachedRow
{
    public CachedRow(string[] features, AnsweredValue[] values, FeatureStatus[] statuses, DateTimeOffset?[] eventTimestamps)
    {
        Features = features;
        Values = values;
        Statuses = statuses;
        EventTimestamps = eventTimestamps;
    }

    public string[] Features { get; }

    public AnsweredValue[] Values { get; }

    public FeatureStatus[] Statuses { get; }

    public DateTimeOffset?[] EventTimestamps { get; }
}
