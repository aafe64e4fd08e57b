using Granary.Contracts.Errors;

namespace Granary.Client;

/// <summary>
/// The answer to an <see cref="OnlineFeaturesRequest"/>: per entity (by its index in the request) and feature
/// (<c>view:feature</c>, for a feature service too), a value, a status and an event time.
/// </summary>
public sealed class OnlineFeatures
{
    // A linear scan beats hashing for the few features a read usually has; past this, a dictionary is built once.
    private const int LinearLookupLimit = 16;

    private readonly string[] _features;
    private readonly FeatureColumn[] _columns;
    private Dictionary<string, int>? _index;

    internal OnlineFeatures(string[] features, FeatureColumn[] columns, int entityCount)
    {
        _features = features;
        _columns = columns;
        EntityCount = entityCount;
    }

    /// <summary>The experiment variant the values were read for (<see cref="OnlineFeaturesRequest.InExperiment"/>); null without an experiment.</summary>
    public string? ExperimentVariant { get; internal set; }

    /// <summary>How many entities were answered: as many as were asked for, in the same order.</summary>
    public int EntityCount { get; }

    /// <summary>The features answered, <c>view:feature</c>, in the order asked for (or the feature service's order).</summary>
    public IReadOnlyList<string> Features => _features;

    internal string[] FeatureNames => _features;

    internal FeatureColumn[] Columns => _columns;

    /// <summary>The value as a double; null when it is not <see cref="FeatureStatus.Present"/> or is null. Integers widen to doubles.</summary>
    public double? GetDouble(int entity, string feature)
    {
        var value = PresentValue(entity, feature);
        return value.Kind switch
        {
            AnsweredValueKind.Null => null,
            AnsweredValueKind.Double => value.Double,
            AnsweredValueKind.Int64 => value.Int64,
            _ => throw Mismatch(entity, feature, "double"),
        };
    }

    /// <summary>The value as a 64-bit integer; null when it is not <see cref="FeatureStatus.Present"/> or is null.</summary>
    public long? GetInt64(int entity, string feature)
    {
        var value = PresentValue(entity, feature);
        return value.Kind switch
        {
            AnsweredValueKind.Null => null,
            AnsweredValueKind.Int64 => value.Int64,
            _ => throw Mismatch(entity, feature, "integer"),
        };
    }

    /// <summary>The value as a string (bytes arrive base64 over HTTP); null when it is not <see cref="FeatureStatus.Present"/> or is null.</summary>
    public string? GetString(int entity, string feature)
    {
        var value = PresentValue(entity, feature);
        return value.Kind switch
        {
            AnsweredValueKind.Null => null,
            AnsweredValueKind.String => (string)value.Reference!,
            _ => throw Mismatch(entity, feature, "string"),
        };
    }

    /// <summary>The value as a boolean; null when it is not <see cref="FeatureStatus.Present"/> or is null.</summary>
    public bool? GetBoolean(int entity, string feature)
    {
        var value = PresentValue(entity, feature);
        return value.Kind switch
        {
            AnsweredValueKind.Null => null,
            AnsweredValueKind.Boolean => value.Boolean,
            _ => throw Mismatch(entity, feature, "boolean"),
        };
    }

    /// <summary>
    /// The value as the answer carried it: <see cref="long"/>, <see cref="double"/>, <see cref="bool"/>,
    /// <see cref="string"/>, or a list of them as <c>object?[]</c>; null when it is not <see cref="FeatureStatus.Present"/> or is null.
    /// </summary>
    public object? GetValue(int entity, string feature) => PresentValue(entity, feature).ToObject();

    /// <summary>Why the value is what it is.</summary>
    public FeatureStatus GetStatus(int entity, string feature) => Column(entity, feature).Statuses[entity];

    /// <summary>The value's event time; null where the server has none.</summary>
    public DateTimeOffset? GetEventTimestamp(int entity, string feature) => Column(entity, feature).EventTimestamps[entity];

    // Held unboxed (AnsweredValue): the typed accessors read numbers without allocating.
    private AnsweredValue PresentValue(int entity, string feature)
    {
        var column = Column(entity, feature);
        return column.Statuses[entity] == FeatureStatus.Present ? column.Values[entity] : AnsweredValue.Null;
    }

    private FeatureColumn Column(int entity, string feature)
    {
        if ((uint)entity >= (uint)EntityCount)
        {
            throw new ArgumentOutOfRangeException(nameof(entity), entity, $"The answer has {EntityCount} entities, indexed from 0.");
        }

        return _columns[IndexOf(feature)];
    }

    private int IndexOf(string feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        if (_features.Length <= LinearLookupLimit)
        {
            for (var i = 0; i < _features.Length; i++)
            {
                if (string.Equals(_features[i], feature, StringComparison.Ordinal))
                {
                    return i;
                }
            }
        }
        else
        {
            _index ??= BuildIndex(_features);
            if (_index.TryGetValue(feature, out var i))
            {
                return i;
            }
        }

        throw new GranaryClientException(
            ErrorCodes.InvalidArgument, $"The answer has no feature '{feature}'; it has {string.Join(", ", _features)}.", httpStatus: null, isTransient: false, mayHaveReachedServer: false);
    }

    private static Dictionary<string, int> BuildIndex(string[] features)
    {
        var index = new Dictionary<string, int>(features.Length, StringComparer.Ordinal);
        for (var i = 0; i < features.Length; i++)
        {
            index[features[i]] = i;
        }

        return index;
    }

    private GranaryClientException Mismatch(int entity, string feature, string asked) =>
        new(ErrorCodes.InvalidArgument, $"Feature '{feature}' of entity {entity} is {Describe(GetValue(entity, feature))}, not a {asked}.", httpStatus: null, isTransient: false, mayHaveReachedServer: false);

    private static string Describe(object? value) => value switch
    {
        double => "a double",
        long => "an integer",
        bool => "a boolean",
        string => "a string",
        object?[] => "a list",
        _ => value?.GetType().Name ?? "null",
    };
}
