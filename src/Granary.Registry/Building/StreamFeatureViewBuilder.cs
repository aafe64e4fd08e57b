using Granary.Core.Model;

namespace Granary.Registry.Building;

/// <summary>
/// Configures a stream feature view; see <see cref="RepositoryBuilder.StreamFeatureView"/>. Its features are derived
/// from its aggregations when the definitions are planned, exactly as for the same view in YAML.
/// </summary>
public sealed class StreamFeatureViewBuilder : MetadataBuilder<StreamFeatureViewBuilder>
{
    private readonly List<string> _entities = [];
    private readonly List<StreamAggregation> _aggregations = [];
    private readonly List<Field> _inputs = [];
    private string _source = "";
    private string? _eventIdField;
    private TimeSpan _hop;
    private TimeSpan _allowedLateness;
    private TimeSpan _ttl;
    private bool _online = true;

    public StreamFeatureViewBuilder Entities(params string[] entities)
    {
        _entities.AddRange(entities);
        return this;
    }

    /// <summary>The push, redis_stream or nats source whose events the view aggregates.</summary>
    public StreamFeatureViewBuilder Source(string source)
    {
        _source = source;
        return this;
    }

    /// <summary>The event column whose repeated value marks a redelivered event, counted once.</summary>
    public StreamFeatureViewBuilder EventIdField(string column)
    {
        _eventIdField = column;
        return this;
    }

    /// <summary>The hop of every window that does not name its own.</summary>
    public StreamFeatureViewBuilder Hop(TimeSpan hop)
    {
        _hop = hop;
        return this;
    }

    /// <summary>How far behind the newest event time seen an event may be and still be applied.</summary>
    public StreamFeatureViewBuilder AllowedLateness(TimeSpan lateness)
    {
        _allowedLateness = lateness;
        return this;
    }

    /// <summary>How long values stay valid after the newest event; <see cref="TimeSpan.Zero"/> (the default) means forever.</summary>
    public StreamFeatureViewBuilder Ttl(TimeSpan ttl)
    {
        _ttl = ttl;
        return this;
    }

    public StreamFeatureViewBuilder Online(bool online = true)
    {
        _online = online;
        return this;
    }

    /// <summary>Declares an event column's dtype (as <c>schema:</c> does in YAML); needed when the batch source cannot be inspected.</summary>
    public StreamFeatureViewBuilder EventColumn(string name, FeatureType type)
    {
        _inputs.Add(new Field(name, type));
        return this;
    }

    /// <summary>
    /// An aggregation: <paramref name="function"/> (<c>count</c>, <c>sum</c>, <c>mean</c>, <c>last_k</c>, ...) over
    /// <paramref name="column"/> (null for <c>count</c> of events), with its windows and parameters.
    /// </summary>
    public StreamFeatureViewBuilder Aggregate(string function, string? column, Action<StreamAggregationBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new StreamAggregationBuilder();
        configure(builder);
        _aggregations.Add(builder.Build(function, column));
        return this;
    }

    internal FeatureView Build(string name) => new()
    {
        Name = name,
        Description = DescriptionText,
        Owner = OwnerText,
        Tags = TagMap,
        Entities = [.. _entities],
        Schema = [],
        Source = _source,
        Ttl = _ttl,
        Online = _online,
        Stream = new StreamSettings
        {
            EventIdField = _eventIdField,
            Hop = _hop,
            AllowedLateness = _allowedLateness,
            Aggregations = [.. _aggregations],
            Inputs = [.. _inputs],
        },
    };
}
