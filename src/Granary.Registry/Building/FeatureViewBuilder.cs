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

    internal FeatureView Build(string name) => new()
    {
        Name = name,
        Description = DescriptionText,
        Owner = OwnerText,
        Tags = TagMap,
        Entities = [.. EntityNames],
        Schema = [.. _schema],
        Source = SourceName,
        Ttl = TtlValue,
        Online = IsOnline,
        Category = CategoryName,
        Freshness = FreshnessValue,
    };
}
