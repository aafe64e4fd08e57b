using Granary.Core.Model;

namespace Granary.Registry.Building;

/// <summary>Configures an <see cref="Entity"/>; see <see cref="RepositoryBuilder.Entity"/>.</summary>
public sealed class EntityBuilder : MetadataBuilder<EntityBuilder>
{
    private readonly List<string> _joinKeys = [];
    private FeatureType _valueType = FeatureType.Int64;

    /// <summary>The key columns; by default one column named after the entity.</summary>
    public EntityBuilder JoinKeys(params string[] keys)
    {
        _joinKeys.Clear();
        _joinKeys.AddRange(keys);
        return this;
    }

    /// <summary>The type of the key values; int64 unless set.</summary>
    public EntityBuilder ValueType(FeatureType type)
    {
        _valueType = type;
        return this;
    }

    internal Entity Build(string name) => new()
    {
        Name = name,
        Description = DescriptionText,
        Owner = OwnerText,
        Tags = TagMap,
        JoinKeys = _joinKeys.Count > 0 ? [.. _joinKeys] : [name],
        ValueType = _valueType,
    };
}
