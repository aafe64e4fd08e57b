using Granary.Core.Providers;
using Granary.Registry.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Granary.Registry.Storage;

/// <summary>Registers <c>registry: {type: sqlite, path: FILE}</c> (or <c>registry: FILE</c>): <see cref="SqliteRegistryStore"/>.</summary>
internal sealed class SqliteRegistryStoreProvider : StoreProvider<IRegistryStore, SqliteRegistryStoreOptions>
{
    public const string TypeName = "sqlite";

    public override string Type => TypeName;

    public override SqliteRegistryStoreOptions ReadOptions(StoreOptionsReader reader) =>
        new() { Path = reader.Optional("path") ?? SqliteRegistryStoreOptions.DefaultPath };

    public override IRegistryStore Create(SqliteRegistryStoreOptions options, ProviderContext context) =>
        new TracedRegistryStore(new SqliteRegistryStore(context.ResolvePath(options.Path), context.LoggerFactory.CreateLogger<SqliteRegistryStore>()), "sqlite");
}
