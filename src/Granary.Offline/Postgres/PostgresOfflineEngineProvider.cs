using Granary.Core.Providers;
using Granary.Offline.Diagnostics;

namespace Granary.Offline.Postgres;

/// <summary>Registers <c>offline_store: {type: postgres, connection: ...}</c>: <see cref="PostgresOfflineEngine"/>.</summary>
internal sealed class PostgresOfflineEngineProvider : StoreProvider<IOfflineEngine, PostgresOfflineEngineOptions>
{
    public const string TypeName = "postgres";

    public override string Type => TypeName;

    public override PostgresOfflineEngineOptions? ReadOptions(StoreOptionsReader reader) =>
        reader.Required("connection") is { } connection ? new() { Connection = connection } : null;

    public override IOfflineEngine Create(PostgresOfflineEngineOptions options, ProviderContext context) =>
        new TracedOfflineEngine(new PostgresOfflineEngine(options.Connection), "postgresql");
}
