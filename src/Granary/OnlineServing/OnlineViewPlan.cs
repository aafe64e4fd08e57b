using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Sources;
using Granary.Core.Values;
using Granary.Offline.Retrieval;
using Granary.Registry.Catalog;
using Granary.Resolution;

namespace Granary.OnlineServing;

/// <summary>
/// What serving, historical retrieval, push and materialization need to know about one view, worked out once per
/// registry version (see <see cref="Resolution.RegistryResolution"/>): its record schema (the features, in schema
/// order), the types of its join keys, its ttl, and the batch source its rows are read from.
/// </summary>
internal sealed partial class OnlineViewPlan
{
    private readonly string? _sourceProblem;

    private OnlineViewPlan(
        FeatureView view, IReadOnlyList<string> joinKeys, IReadOnlyList<FeatureType> keyTypes, RecordSchema schema, BatchSource? source, string? sourceProblem, string onlineNamespace, SemanticVersion? version)
    {
        View = view;
        Namespace = onlineNamespace;
        Version = version;
        JoinKeys = joinKeys;
        KeyTypes = keyTypes;
        Schema = schema;
        Source = source;
        _sourceProblem = sourceProblem;
        TtlMicros = view.Ttl.Ticks / TimeSpan.TicksPerMicrosecond;
        Stream = view.Stream is null ? null : new StreamViewState(view, schema.Count, onlineNamespace);
    }

    public FeatureView View { get; }

    public string Name => View.Name;

    /// <summary>Where the view's online records, aggregate states and watermark live (see <see cref="OnlineNamespace"/>).</summary>
    public string Namespace { get; }

    /// <summary>The pinned version a <c>view@v2</c> or <c>view@1.2.0</c> reference resolved to; null for the current version.</summary>
    public SemanticVersion? Version { get; }

    /// <summary>The view as messages and results name it: <c>view</c>, or <c>view@2.0.0</c> for a pinned version.</summary>
    public string Label => Version is { } version ? $"{Name}@{version}" : Name;

    /// <summary>The join keys, in the order of the view's entities.</summary>
    public IReadOnlyList<string> JoinKeys { get; }

    /// <summary>The type of each join key (its entity's value_type).</summary>
    public IReadOnlyList<FeatureType> KeyTypes { get; }

    /// <summary>The view's features in schema order: the layout of its online records.</summary>
    public RecordSchema Schema { get; }

    /// <summary>The batch source the view's rows are read from (a push source's batch source), or null if it has none.</summary>
    public BatchSource? Source { get; }

    /// <summary>The ttl in microseconds; 0 means values never expire.</summary>
    public long TtlMicros { get; }

    /// <summary>
    /// For a stream feature view, its aggregation plan: its features are computed at read time from each key's
    /// aggregate state rather than read from a record. Null for a view of stored values.
    /// </summary>
    public StreamViewState? Stream { get; }

    /// <summary>The plan of <paramref name="view"/>, its records under <paramref name="onlineNamespace"/> (by default the view's name: major 1).</summary>
    public static OnlineViewPlan For(FeatureView view, DefinitionSet definitions, string? onlineNamespace = null, SemanticVersion? version = null)
    {
        var joinKeys = new List<string>();
        var keyTypes = new List<FeatureType>();
        foreach (var entityName in view.Entities)
        {
            var entity = definitions.FindEntity(entityName)
                ?? throw new GranaryException(ErrorCodes.UnknownReference, $"Feature view '{view.Name}' names entity '{entityName}', which the registry does not have.");
            foreach (var key in entity.JoinKeys)
            {
                joinKeys.Add(key);
                keyTypes.Add(entity.ValueType);
            }
        }

        // A view whose source cannot be resolved still serves what the online store holds; only what reads its rows fails.
        var source = BatchSources.OfView(definitions, view, out var problem);
        return new OnlineViewPlan(view, joinKeys, keyTypes, RecordSchema.ForView(view, joinKeys), source, problem, onlineNamespace ?? view.Name, version);
    }

    /// <summary>
    /// The batch source, for whatever reads the view's rows (historical retrieval, materialization, writes that need
    /// its timestamp column); when there is none, the <see cref="ErrorCodes.UnknownReference"/> error that every path
    /// gives for it, naming the source at fault (see <see cref="BatchSources"/>).
    /// </summary>
    public BatchSource RequireSource() => Source ?? throw Resolution.RegistryResolution.SourceError(_sourceProblem!);

    /// <summary>The engine request for this view's latest values in [start, end], all features.</summary>
    public LatestValuesRequest LatestValues(DateTimeOffset start, DateTimeOffset end, string repositoryRoot)
    {
        var source = RequireSource();
        var features = new List<string>(Schema.Count);
        foreach (var field in Schema.Features)
        {
            features.Add(field.Name);
        }

        // A unique rule asks the engine whether an entity's latest row is tied with another at its event time.
        return new LatestValuesRequest(new PointInTimeView(View, source, JoinKeys, features), start, end, repositoryRoot) { CountTies = Stream is null && Validator?.HasUnique == true };
    }
}
