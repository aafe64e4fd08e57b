namespace Granary.Offline.DuckDb;

/// <summary>
/// The options of <c>offline_store: {type: duckdb, data_folder: DIR}</c>, the default engine: DuckDB runs in the
/// process over the sources' files.
/// </summary>
public sealed class DuckDbOfflineEngineOptions
{
    /// <summary>
    /// <c>data_folder</c>: the folder relative file-source paths resolve against, itself relative to the repository
    /// root; null for the repository root. <c>feature_store.offline_store_uri: file://DIR</c> sets it.
    /// </summary>
    public string? DataFolder { get; set; }
}
