namespace Granary.Offline.DuckDb;

/// <summary>
/// The options of <c>offline_store: {type: duckdb}</c>, the default engine. It has none yet: DuckDB runs in the
/// process over the sources' files, so any key in the section is reported as unused.
/// </summary>
public sealed class DuckDbOfflineEngineOptions
{
}
