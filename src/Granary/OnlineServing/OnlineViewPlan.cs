using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Offline.Retrieval;
using Granary.Core.Values;

namespace Granary.OnlineServing;

/// <summary>
/// What serving and materialization need to know about one view, worked out once per registry version: its record
/// schema (the features, in schema order), the types of its join keys, and its ttl.
/// </summary>
public sealed class OnlineViewPlan
{
    private OnlineViewPlan(FeatureView view, IReadOnlyList<string> joinKeys, IReadOnlyList<FeatureType> keyTypes, RecordSchema schema, BatchSource? source)
    {
        View = view;
        JoinKeys = joinKeys;
        KeyTypes = keyTypes;
        Schema = schema;
        Source = source;
        TtlMicros = view.Ttl.Ticks / TimeSpan.TicksPerMicrosecond;
    }

    public FeatureView View { get; }

    public string Name => View.Name;

    /// <summary>The join keys, in the order of the view's entities.</summary>
    public IReadOnlyList<string> JoinKeys { get; }

    /// <summary>The type of each join key (its entity's value_type).</summary>
    public IReadOnlyList<FeatureType> KeyTypes { get; }

    /// <summary>The view's features in schema order: the layout of its online records.</summary>
    public RecordSchema Schema { get; }

    /// <summary>The batch source materialization reads (a push source's batch source), or null if it has none.</summary>
    public BatchSource? Source { get; }

    /// <summary>The ttl in microseconds; 0 means values never expire.</summary>
    public long TtlMicros { get; }

    public static OnlineViewPlan For(FeatureView view, DefinitionSet definitions)
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

        var source = definitions.FindSource(view.Source) switch
        {
            BatchSource batch => batch,
            PushSource push => definitions.FindSource(push.BatchSourceName) as BatchSource,
            _ => null,
        };
        return new OnlineViewPlan(view, joinKeys, keyTypes, RecordSchema.ForView(view, joinKeys), source);
    }

    /// <summary>The engine request for this view's latest values in [start, end], all features.</summary>
    public LatestValuesRequest LatestValues(DateTimeOffset start, DateTimeOffset end, string repositoryRoot)
    {
        var source = Source ?? throw new GranaryException(ErrorCodes.InvalidArgument, $"Feature view '{Name}' has no batch source to materialize from.");
        var features = new List<string>(Schema.Count);
        foreach (var field in Schema.Features)
        {
            features.Add(field.Name);
        }

        return new LatestValuesRequest(new PointInTimeView(View, source, JoinKeys, features), start, end, repositoryRoot);
    }
}
