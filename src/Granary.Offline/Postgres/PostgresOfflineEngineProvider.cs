using Granary.Core.Providers;
using Granary.Offline.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Granary.Offline.Postgres;

/// <summary>Registers <c>offline_store: {type: postgres, connection: ...}</c>: <see cref="PostgresOfflineEngine"/>.</summary>
internal sealed class PostgresOfflineEngineProvider : StoreProvider<IOfflineEngine, PostgresOfflineEngineOptions>
{
    public const string TypeName = "postgres";

    public override string Type => TypeName;

    public override PostgresOfflineEngineOptions? ReadOptions(StoreOptionsReader reader) =>
        reader.Required("connection") is { } connection ? new() { Connection = connection } : null;

    // One category for the engine's own events and those its decorator logs, so a level set for it covers both.
    public override IOfflineEngine Create(PostgresOfflineEngineOptions options, ProviderContext context)
    {
        var logger = context.LoggerFactory.CreateLogger<PostgresOfflineEngine>();
        return new TracedOfflineEngine(new PostgresOfflineEngine(options.Connection, logger), "postgresql", logger);
    }
}
