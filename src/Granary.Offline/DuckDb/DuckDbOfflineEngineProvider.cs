using Granary.Core.Providers;
using Granary.Offline.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Granary.Offline.DuckDb;

/// <summary>Registers <c>offline_store: {type: duckdb, data_folder: DIR}</c>: the embedded <see cref="DuckDbOfflineEngine"/>.</summary>
internal sealed class DuckDbOfflineEngineProvider : StoreProvider<IOfflineEngine, DuckDbOfflineEngineOptions>
{
    public const string TypeName = "duckdb";

    public override string Type => TypeName;

    public override DuckDbOfflineEngineOptions ReadOptions(StoreOptionsReader reader) => new() { DataFolder = reader.Optional("data_folder") };

    public override IOfflineEngine Create(DuckDbOfflineEngineOptions options, ProviderContext context) =>
        new TracedOfflineEngine(
            new DuckDbOfflineEngine(dataFolder: string.IsNullOrEmpty(options.DataFolder) ? null : context.ResolvePath(options.DataFolder)),
            "duckdb",
            context.LoggerFactory.CreateLogger<DuckDbOfflineEngine>());
}
