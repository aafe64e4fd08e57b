using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Registry.Configuration;
using Granary.Registry.Diagnostics;

namespace Granary.Registry.Storage;

/// <summary>
/// Opens the registry store a repository's <c>granary.yaml</c> names, its calls traced as spans of <c>Granary.Registry</c>
/// (<see cref="TracedRegistryStore"/>; nothing but a branch while nobody listens).
/// </summary>
public static class RegistryStoreFactory
{
    public static IRegistryStore Create(RegistryConfig config) => config.Type switch
    {
        RegistryConfig.Sqlite when config.Path is { } path => new TracedRegistryStore(new SqliteRegistryStore(path), "sqlite"),
        RegistryConfig.Postgres when config.Connection is { } connection => new TracedRegistryStore(new PostgresRegistryStore(connection), "postgresql"),
        _ => throw new GranaryException(ErrorCodes.InvalidConfig, $"The registry type '{config.Type}' is not supported or is missing its path or connection."),
    };
}
