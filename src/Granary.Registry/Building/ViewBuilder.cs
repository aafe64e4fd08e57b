namespace Granary.Registry.Building;

/// <summary>What every kind of feature view has: entities, a source, a ttl and whether it is served online.</summary>
public abstract class ViewBuilder<TSelf> : MetadataBuilder<TSelf>
    where TSelf : ViewBuilder<TSelf>
{
    private readonly List<string> _entities = [];

    internal IReadOnlyList<string> EntityNames => _entities;

    internal string SourceName { get; private set; } = "";

    internal TimeSpan TtlValue { get; private set; } = TimeSpan.Zero;

    internal bool IsOnline { get; private set; } = true;

    public TSelf Entities(params string[] entities)
    {
        _entities.AddRange(entities);
        return (TSelf)this;
    }

    /// <summary>The source the view reads: a batch or push source, or for a stream view a push, redis_stream or nats source.</summary>
    public TSelf Source(string source)
    {
        SourceName = source;
        return (TSelf)this;
    }

    /// <summary>How long values stay valid; <see cref="TimeSpan.Zero"/> (the default) means forever.</summary>
    public TSelf Ttl(TimeSpan ttl)
    {
        TtlValue = ttl;
        return (TSelf)this;
    }

    internal string? CategoryName { get; private set; }

    /// <summary>The view's governed category, <c>feature_type</c> in YAML: one of <see cref="Core.Model.FeatureCategories.All"/>.</summary>
    public TSelf Category(string category)
    {
        CategoryName = category;
        return (TSelf)this;
    }

    public TSelf Online(bool online = true)
    {
        IsOnline = online;
        return (TSelf)this;
    }
}
