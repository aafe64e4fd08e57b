namespace Granary.Registry.Building;

/// <summary>Description, owner and tags, which every kind of object has.</summary>
public abstract class MetadataBuilder<TSelf>
    where TSelf : MetadataBuilder<TSelf>
{
    private readonly Dictionary<string, string> _tags = new(StringComparer.Ordinal);

    internal string DescriptionText { get; private set; } = "";

    internal string OwnerText { get; private set; } = "";

    internal IReadOnlyDictionary<string, string> TagMap => _tags;

    public TSelf Description(string description)
    {
        DescriptionText = description;
        return (TSelf)this;
    }

    public TSelf Owner(string owner)
    {
        OwnerText = owner;
        return (TSelf)this;
    }

    public TSelf Tag(string key, string value)
    {
        _tags[key] = value;
        return (TSelf)this;
    }
}
