using Granary.Offline.DuckDb;

namespace Granary.Offline.Files;

/// <summary>
/// The one place that decides who handles data files outside an engine's own queries: DuckDB, whichever offline
/// engine is configured.
/// </summary>
/// <remarks>
/// Why DuckDB: Granary's dependencies hold no other Parquet reader or writer, and DuckDB is already one of them (the
/// embedded engine), reading and writing Parquet and CSV in place, streaming, with the same types and encodings the
/// DuckDB engine's own files have. A second Parquet library would be a second set of type mappings to keep in step.
/// Everything that uses DuckDB for files goes through <see cref="IDataFiles"/> or <see cref="IEngineFiles"/>, so
/// replacing it is a change here and in <c>DuckDb/DuckDbDataFiles.cs</c> alone.
/// </remarks>
internal static class DataFiles
{
    /// <summary>Reads facts about dataset files: their time range, a preview.</summary>
    public static IDataFiles Default => DuckDbDataFiles.Instance;

    /// <summary>Reads entity-table files and writes Parquet for engines that cannot reach files themselves.</summary>
    internal static IEngineFiles ForEngines => DuckDbDataFiles.Instance;
}
