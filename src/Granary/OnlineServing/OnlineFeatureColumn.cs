using Granary.Core.Values;

namespace Granary.OnlineServing;

/// <summary>One column of an online response: per entity, a value, its status and its event time (µs UTC; 0 when none).</summary>
public readonly struct OnlineFeatureColumn
{
    private readonly OnlineFeaturesResponse _response;
    private readonly int _index;

    internal OnlineFeatureColumn(OnlineFeaturesResponse response, int index)
    {
        _response = response;
        _index = index;
    }

    /// <summary>The column's name: a join key, a feature, or <c>view__feature</c> with full feature names.</summary>
    public string Name => _response.FeatureNames[_index];

    public ReadOnlySpan<FeatureValue> Values => _response.Values(_index);

    public ReadOnlySpan<FeatureStatus> Statuses => _response.Statuses(_index);

    /// <summary>Event times in microseconds since the Unix epoch, UTC; 0 where the entity has no value.</summary>
    public ReadOnlySpan<long> EventTimestamps => _response.EventTimestamps(_index);
}
