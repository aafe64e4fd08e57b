using Granary.Core.Model;

namespace Granary.Registry.Building;

/// <summary>
/// Configures a stream feature view; see <see cref="RepositoryBuilder.StreamFeatureView"/>. Its features are derived
/// from its aggregations when the definitions are planned, exactly as for the same view in YAML.
/// </summary>
public sealed class StreamFeatureViewBuilder : ViewBuilder<StreamFeatureViewBuilder>
{
    private readonly List<StreamAggregation> _aggregations = [];
    private readonly List<Field> _inputs = [];
    private string? _eventIdField;
    private TimeSpan _hop;
    private TimeSpan _allowedLateness;

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
        Entities = [.. EntityNames],
        Schema = [],
        Source = SourceName,
        Ttl = TtlValue,
        Online = IsOnline,
        Category = CategoryName,
        Freshness = FreshnessValue,
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
