namespace Granary.Registry.Storage;

/// <summary>The options of <c>registry: {type: postgres}</c>, a registry that several repositories and servers share.</summary>
public sealed class PostgresRegistryStoreOptions
{
    /// <summary><c>connection</c>, required: the Npgsql connection string, usually with <c>${VAR}</c> for its password.</summary>
    public required string Connection { get; set; }
}
