namespace Granary.Core.Model;

/// <summary>What every registry object has: a name unique within its kind, and descriptive metadata.</summary>
public abstract record Definition
{
    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>();

    public required string Name { get; init; }

    public string Description { get; init; } = "";

    public string Owner { get; init; } = "";

    public IReadOnlyDictionary<string, string> Tags { get; init; } = NoTags;

    public abstract ObjectKind Kind { get; }
}
