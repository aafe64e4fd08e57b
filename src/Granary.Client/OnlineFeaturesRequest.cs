namespace Granary.Client;

/// <summary>
/// A read of online features: the features (a list of <c>view:feature</c> references, or a feature service) of some
/// entities, given as columns (<see cref="WithEntityColumn{T}"/>) or as rows (<see cref="AddEntity"/>). Answers are in
/// the order the entities were given.
/// </summary>
public sealed class OnlineFeaturesRequest
{
    private readonly ColumnTable _entities = new("entity");

    private OnlineFeaturesRequest(string[] features, string? featureService)
    {
        FeatureList = features;
        FeatureService = featureService;
    }

    /// <summary>The features asked for, <c>view:feature</c>; empty for a feature service.</summary>
    public IReadOnlyList<string> Features => FeatureList;

    /// <summary>The feature service asked for; null for a feature list.</summary>
    public string? FeatureService { get; }

    /// <summary>The experiment whose variant, assigned from <see cref="UnitId"/>, decides the version of its view read; null for none.</summary>
    public string? Experiment { get; private set; }

    /// <summary>The unit (a user, a session) assigned a variant of <see cref="Experiment"/>.</summary>
    public string? UnitId { get; private set; }

    /// <summary>How many entities are asked for.</summary>
    public int EntityCount => _entities.RowCount;

    internal string[] FeatureList { get; }

    internal IReadOnlyList<ValueColumn> EntityColumns => _entities.Columns;

    /// <summary>A read of these features, each <c>view:feature</c>.</summary>
    public static OnlineFeaturesRequest ForFeatures(params string[] features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Length == 0)
        {
            throw new ArgumentException("Name at least one feature, as view:feature.", nameof(features));
        }

        var copy = new string[features.Length];
        for (var i = 0; i < features.Length; i++)
        {
            var feature = features[i];
            if (string.IsNullOrEmpty(feature) || feature.IndexOf(':') <= 0 || feature.IndexOf(':') == feature.Length - 1)
            {
                throw new ArgumentException($"Feature {i} ('{feature}') is not a reference view:feature.", nameof(features));
            }

            copy[i] = feature;
        }

        return new OnlineFeaturesRequest(copy, null);
    }

    /// <summary>A read of a feature service's features.</summary>
    public static OnlineFeaturesRequest ForFeatureService(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new OnlineFeaturesRequest([], name);
    }

    /// <summary>
    /// The same features for the entities at <paramref name="indices"/> (the first <paramref name="count"/> of them), in
    /// that order: a batch of a large request, or the entities a cache did not hold.
    /// </summary>
    internal OnlineFeaturesRequest Select(int[] indices, int count)
    {
        var selected = new OnlineFeaturesRequest(FeatureList, FeatureService) { Experiment = Experiment, UnitId = UnitId };
        foreach (var column in _entities.Columns)
        {
            var values = new List<object?>(count);
            for (var i = 0; i < count; i++)
            {
                values.Add(column.Values[indices[i]]);
            }

            selected._entities.AddChecked(column.Name, values);
        }

        return selected;
    }

    /// <summary>The entities from <paramref name="start"/>, <paramref name="count"/> of them: one batch of a large request.</summary>
    internal OnlineFeaturesRequest Slice(int start, int count)
    {
        var slice = new OnlineFeaturesRequest(FeatureList, FeatureService) { Experiment = Experiment, UnitId = UnitId };
        foreach (var column in _entities.Columns)
        {
            slice._entities.AddChecked(column.Name, column.Values.GetRange(start, count));
        }

        return slice;
    }

    /// <summary>
    /// Reads as <paramref name="unitId"/>'s variant of <paramref name="experiment"/> (the answer's
    /// <see cref="OnlineFeatures.ExperimentVariant"/> names it). Such a read is never answered from the client's cache.
    /// </summary>
    public OnlineFeaturesRequest InExperiment(string experiment, string unitId)
    {
        ArgumentException.ThrowIfNullOrEmpty(experiment);
        ArgumentException.ThrowIfNullOrEmpty(unitId);
        Experiment = experiment;
        UnitId = unitId;
        return this;
    }

    /// <summary>The values of one join key, one per entity; every join key needs as many values.</summary>
    public OnlineFeaturesRequest WithEntityColumn<T>(string joinKey, IEnumerable<T> values)
    {
        _entities.AddColumn(joinKey, values);
        return this;
    }

    /// <summary>One entity, by its join keys' values; every entity needs the same join keys.</summary>
    public OnlineFeaturesRequest AddEntity(params (string JoinKey, object Value)[] keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var row = new (string, object?)[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            row[i] = (keys[i].JoinKey, keys[i].Value ?? throw new ArgumentException($"Join key '{keys[i].JoinKey}' has no value.", nameof(keys)));
        }

        _entities.AddRow(row);
        return this;
    }
}
