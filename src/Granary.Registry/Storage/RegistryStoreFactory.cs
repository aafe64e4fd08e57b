using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Registry.Configuration;

namespace Granary.Registry.Storage;

/// <summary>Opens the registry store a repository's <c>granary.yaml</c> names.</summary>
public static class RegistryStoreFactory
{
    public static IRegistryStore Create(RegistryConfig config) => config.Type switch
    {
        RegistryConfig.Sqlite when config.Path is { } path => new SqliteRegistryStore(path),
        RegistryConfig.Postgres when config.Connection is { } connection => new PostgresRegistryStore(connection),
        _ => throw new GranaryException(ErrorCodes.InvalidConfig, $"The registry type '{config.Type}' is not supported or is missing its path or connection."),
    };
}
