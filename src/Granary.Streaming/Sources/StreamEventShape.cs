using Granary.Core.Model;
using Granary.Streaming.Definitions;

namespace Granary.Streaming.Sources;

/// <summary>
/// What one message of a stream view's source must carry to become a <see cref="Events.StreamEvent"/>: the view's
/// join keys with their entities' value types, the timestamp field, the event columns of the view's plan (in
/// <see cref="Aggregation.AggregationPlan.Columns"/> order, typed by <see cref="StreamSettings.Inputs"/>) and the
/// optional event id field. Built once per view; the decoder reads every message against it.
/// </summary>
internal sealed class StreamEventShape
{
    private StreamEventShape(string viewName, IReadOnlyList<Field> joinKeys, string timestampField, IReadOnlyList<Field> columns, string? eventIdField)
    {
        ViewName = viewName;
        JoinKeys = joinKeys;
        TimestampField = timestampField;
        Columns = columns;
        EventIdField = eventIdField;
    }

    public string ViewName { get; }

    /// <summary>The join keys in the order of the view's entities, each typed by its entity's value type.</summary>
    public IReadOnlyList<Field> JoinKeys { get; }

    public string TimestampField { get; }

    /// <summary>The event columns the aggregations read, in the plan's order.</summary>
    public IReadOnlyList<Field> Columns { get; }

    public string? EventIdField { get; }

    /// <summary>The shape of <paramref name="view"/>, a stream view resolved by <see cref="StreamViewResolver"/>.</summary>
    /// <exception cref="StreamDefinitionException">The view, its source or its entities do not make a stream view's events.</exception>
    public static StreamEventShape For(FeatureView view, DefinitionSet definitions)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(definitions);
        var settings = view.Stream ?? throw new StreamDefinitionException("stream", $"Feature view '{view.Name}' is not a stream feature view.");
        var timestampField = TimestampFieldOf(view, definitions);

        var joinKeys = new List<Field>();
        foreach (var entityName in view.Entities)
        {
            var entity = definitions.FindEntity(entityName)
                ?? throw new StreamDefinitionException("entities", $"Feature view '{view.Name}' names the unknown entity '{entityName}'.");
            foreach (var key in entity.JoinKeys)
            {
                joinKeys.Add(new Field(key, entity.ValueType));
            }
        }

        var plan = StreamPlanCompiler.Compile(settings);
        var columns = new Field[plan.Columns.Count];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = Find(settings.Inputs, plan.Columns[i])
                ?? throw new StreamDefinitionException("inputs", $"The event column '{plan.Columns[i]}' has no type; resolve the view against its source's columns first.");
        }

        return new StreamEventShape(view.Name, joinKeys, timestampField, columns, settings.EventIdField);
    }

    /// <summary>The source's own timestamp field, else its batch source's (a push source has only the latter).</summary>
    private static string TimestampFieldOf(FeatureView view, DefinitionSet definitions)
    {
        var source = definitions.FindSource(view.Source)
            ?? throw new StreamDefinitionException("source", $"Feature view '{view.Name}' reads the unknown source '{view.Source}'.");
        var (own, batchName) = source switch
        {
            StreamSource stream => (stream.TimestampField, stream.BatchSourceName),
            PushSource push => (null, push.BatchSourceName),
            _ => throw new StreamDefinitionException("source", $"The source '{source.Name}' of feature view '{view.Name}' is a {source.SourceType} source, not a push, redis_stream or nats source."),
        };
        if (own is not null)
        {
            return own;
        }

        return definitions.FindSource(batchName) is BatchSource batch
            ? batch.TimestampField
            : throw new StreamDefinitionException("source", $"The source '{source.Name}' names no timestamp_field and its batch source '{batchName}' is not a batch source.");
    }

    private static Field? Find(IReadOnlyList<Field> fields, string name)
    {
        foreach (var field in fields)
        {
            if (field.Name == name)
            {
                return field;
            }
        }

        return null;
    }
}
