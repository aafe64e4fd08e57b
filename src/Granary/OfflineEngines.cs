using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Offline;
using Granary.Offline.DuckDb;
using Granary.Offline.Postgres;
using Granary.Registry.Configuration;

namespace Granary;

/// <summary>Creates the offline engine that <c>offline_store</c> in <c>granary.yaml</c> names.</summary>
public static class OfflineEngines
{
    public static IOfflineEngine Create(StoreConfig config) => config.Type switch
    {
        "duckdb" => new DuckDbOfflineEngine(),
        "postgres" when config.Connection is { } connection => new PostgresOfflineEngine(connection),
        _ => throw new GranaryException(ErrorCodes.InvalidConfig, $"The offline_store type '{config.Type}' is not available."),
    };
}
