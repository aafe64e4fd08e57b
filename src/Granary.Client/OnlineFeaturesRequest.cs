namespace Granary.Client;

/// <summary>
/// A read of online features: the features (a list of <c>view:feature</c> references, or a feature service) of some
/// entities, given as columns (<see cref="WithEntityColumn{T}"/>) or as rows (<see cref="AddEntity"/>). Answers are in
/// the order the entities were given.
/// </summary>
public sealed class OnlineFeaturesRequest
{
    private readonly ColumnTable _entities = new("entity");
    private readonly ColumnTable _requestData = new("request data");

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

    /// <summary>The request data on-demand features read (Feast's <c>request_context</c>), one value per entity; empty for none.</summary>
    internal IReadOnlyList<ValueColumn> RequestColumns => _requestData.Columns;

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
        SelectInto(_entities, selected._entities, indices, count);
        SelectInto(_requestData, selected._requestData, indices, count);
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

        foreach (var column in _requestData.Columns)
        {
            slice._requestData.AddChecked(column.Name, column.Values.GetRange(start, count));
        }

        return slice;
    }

    /// <summary>
    /// Checks what only the whole request shows: every request-data column has one value per entity. The client calls it
    /// before anything is sent, so a mismatch is the caller's error rather than the server's 400.
    /// </summary>
    internal void CheckRequestData()
    {
        foreach (var column in _requestData.Columns)
        {
            if (column.Values.Count != EntityCount)
            {
                throw new GranaryClientException(
                    Contracts.Errors.ErrorCodes.InvalidArgument,
                    $"The request data column '{column.Name}' has {column.Values.Count} values, but the request names {EntityCount} entities: give one value per entity.",
                    httpStatus: null,
                    isTransient: false,
                    mayHaveReachedServer: false);
            }
        }
    }

    private static void SelectInto(ColumnTable from, ColumnTable to, int[] indices, int count)
    {
        foreach (var column in from.Columns)
        {
            var values = new List<object?>(count);
            for (var i = 0; i < count; i++)
            {
                values.Add(column.Values[indices[i]]);
            }

            to.AddChecked(column.Name, values);
        }
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

    /// <summary>
    /// Request data for on-demand features (sent as Feast's <c>request_context</c>): the values of one request field,
    /// one per entity, in the entities' order. A read with request data is never answered from the client's cache,
    /// since its values depend on more than the entities.
    /// </summary>
    public OnlineFeaturesRequest WithRequestColumn<T>(string name, IEnumerable<T> values)
    {
        _requestData.AddColumn(name, values);
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
