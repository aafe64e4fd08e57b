using Granary.Core.Providers;
using Granary.Registry.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Granary.Registry.Storage;

/// <summary>Registers <c>registry: {type: postgres, connection: ...}</c>: <see cref="PostgresRegistryStore"/>.</summary>
internal sealed class PostgresRegistryStoreProvider : StoreProvider<IRegistryStore, PostgresRegistryStoreOptions>
{
    public const string TypeName = "postgres";

    public override string Type => TypeName;

    public override PostgresRegistryStoreOptions? ReadOptions(StoreOptionsReader reader) =>
        reader.Required("connection") is { } connection ? new() { Connection = connection } : null;

    public override IRegistryStore Create(PostgresRegistryStoreOptions options, ProviderContext context) =>
        new TracedRegistryStore(new PostgresRegistryStore(options.Connection, context.LoggerFactory.CreateLogger<PostgresRegistryStore>()), "postgresql");
}
