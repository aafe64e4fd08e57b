using Granary.Values;

namespace Granary.OnlineServing;

/// <summary>
/// The answer, column-major as Feast's: <see cref="FeatureNames"/> lists the join keys then the features, and
/// <see cref="Results"/> holds one column per name with a value, status and event time per entity.
/// </summary>
public sealed class OnlineFeaturesResponse(IReadOnlyList<string> featureNames, IReadOnlyList<OnlineFeatureColumn> results)
{
    public IReadOnlyList<string> FeatureNames { get; } = featureNames;

    public IReadOnlyList<OnlineFeatureColumn> Results { get; } = results;

    /// <summary>The column named <paramref name="name"/>.</summary>
    public OnlineFeatureColumn this[string name]
    {
        get
        {
            for (var i = 0; i < FeatureNames.Count; i++)
            {
                if (FeatureNames[i] == name)
                {
                    return Results[i];
                }
            }

            throw new KeyNotFoundException($"No column '{name}' in the response.");
        }
    }
}

/// <summary>One column of an online response: per entity, a value, its status and its event time (µs UTC; 0 when none).</summary>
public sealed class OnlineFeatureColumn(FeatureValue[] values, FeatureStatus[] statuses, long[] eventTimestamps)
{
    public FeatureValue[] Values { get; } = values;

    public FeatureStatus[] Statuses { get; } = statuses;

    /// <summary>Event times in microseconds since the Unix epoch, UTC; 0 where the entity has no value.</summary>
    public long[] EventTimestamps { get; } = eventTimestamps;
}
