using Granary.Core.Model;

namespace Granary.Registry.Building;

/// <summary>Configures a <see cref="FeatureView"/>; see <see cref="RepositoryBuilder.FeatureView"/>.</summary>
public sealed class FeatureViewBuilder : MetadataBuilder<FeatureViewBuilder>
{
    private readonly List<string> _entities = [];
    private readonly List<Field> _schema = [];
    private string _source = "";
    private TimeSpan _ttl = TimeSpan.Zero;
    private bool _online = true;

    public FeatureViewBuilder Entities(params string[] entities)
    {
        _entities.AddRange(entities);
        return this;
    }

    public FeatureViewBuilder Source(string source)
    {
        _source = source;
        return this;
    }

    /// <summary>How long values stay valid; <see cref="TimeSpan.Zero"/> (the default) means forever.</summary>
    public FeatureViewBuilder Ttl(TimeSpan ttl)
    {
        _ttl = ttl;
        return this;
    }

    public FeatureViewBuilder Online(bool online = true)
    {
        _online = online;
        return this;
    }

    public FeatureViewBuilder Feature(string name, FeatureType type, string description = "")
    {
        _schema.Add(new Field(name, type) { Description = description });
        return this;
    }

    internal FeatureView Build(string name) => new()
    {
        Name = name,
        Description = DescriptionText,
        Owner = OwnerText,
        Tags = TagMap,
        Entities = [.. _entities],
        Schema = [.. _schema],
        Source = _source,
        Ttl = _ttl,
        Online = _online,
    };
}
