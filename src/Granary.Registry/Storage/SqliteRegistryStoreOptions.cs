namespace Granary.Registry.Storage;

/// <summary>The options of <c>registry: {type: sqlite}</c>, the default registry.</summary>
public sealed class SqliteRegistryStoreOptions
{
    /// <summary>Where the file is when <c>path</c> is not given, relative to the repository root.</summary>
    public const string DefaultPath = "data/registry.db";

    /// <summary><c>path</c>: the database file, relative to the repository root; created with its folder on the first apply.</summary>
    public string Path { get; set; } = DefaultPath;
}
