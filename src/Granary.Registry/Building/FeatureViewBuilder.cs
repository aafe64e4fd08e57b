using Granary.Core.Model;

namespace Granary.Registry.Building;

/// <summary>Configures a <see cref="FeatureView"/>; see <see cref="RepositoryBuilder.FeatureView"/>.</summary>
public sealed class FeatureViewBuilder : ViewBuilder<FeatureViewBuilder>
{
    private readonly List<Field> _schema = [];

    public FeatureViewBuilder Feature(string name, FeatureType type, string description = "")
    {
        _schema.Add(new Field(name, type) { Description = description });
        return this;
    }

    /// <summary>A feature with every key a YAML schema field takes (description, tags and the governed keys).</summary>
    public FeatureViewBuilder Field(string name, FeatureType type, Action<FieldBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new FieldBuilder();
        configure(builder);
        _schema.Add(builder.Build(name, type));
        return this;
    }

    private DerivedQuery? _derived;

    /// <summary>
    /// Makes the view a derived feature view (<c>derived_feature_views:</c> in YAML): its rows are what
    /// <paramref name="query"/> returns, reading other views and sources named as <c>{{ name }}</c>; the result has the
    /// join keys, <c>event_timestamp</c> and the features. <paramref name="queryPostgres"/> replaces it on PostgreSQL.
    /// </summary>
    public FeatureViewBuilder Query(string query, string? queryPostgres = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        _derived = new DerivedQuery { Query = query, QueryPostgres = queryPostgres };
        return this;
    }

    internal bool IsDerived => _derived is not null;

    internal FeatureView Build(string name) => new()
    {
        Name = name,
        Description = DescriptionText,
        Owner = OwnerText,
        Tags = TagMap,
        Entities = [.. EntityNames],
        Schema = [.. _schema],
        Source = _derived is null ? SourceName : "",
        Derived = _derived,
        Ttl = TtlValue,
        Online = IsOnline,
        Category = CategoryName,
        Freshness = FreshnessValue,
    };
}
