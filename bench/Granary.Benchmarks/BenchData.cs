using System.Globalization;
using DuckDB.NET.Data;
using Granary.Offline.DuckDb;
using Granary.Offline.Retrieval;

namespace Granary.Benchmarks;

/// <summary>
/// The benchmark's input files: three feature-view sources and one entity table, generated once inside DuckDB
/// and kept in a cache folder. Every value derives from <c>hash()</c> of the row number, so two generations give
/// the same files whatever the thread count (<c>random()</c> depends on how rows are split across threads).
/// </summary>
public sealed class BenchData
{
    public const int ViewCount = 3;
    public const int FeaturesPerView = 10;

    /// <summary>Environment variable that carries the data folder to BenchmarkDotNet's child processes.</summary>
    public const string DirectoryVariable = "GRANARY_BENCH_DATA_DIR";

    /// <summary>Environment variable that carries the DuckDB <c>memory_limit</c> applied to every case.</summary>
    public const string MemoryLimitVariable = "GRANARY_BENCH_MEMORY_LIMIT";

    /// <summary>Environment variable that carries the DuckDB <c>memory_limit</c> of the Granary case, when it differs.</summary>
    public const string GranaryMemoryLimitVariable = "GRANARY_BENCH_GRANARY_MEMORY_LIMIT";

    public const string DefaultMemoryLimit = "8GB";

    /// <summary>The memory limit of the hand-written reference cases (<c>--memory-limit</c>).</summary>
    public static string ReferenceMemoryLimit() =>
        Environment.GetEnvironmentVariable(MemoryLimitVariable) ?? DefaultMemoryLimit;

    /// <summary>The memory limit of the Granary case (<c>--granary-memory-limit</c>, else <c>--memory-limit</c>).</summary>
    public static string GranaryMemoryLimit() =>
        Environment.GetEnvironmentVariable(GranaryMemoryLimitVariable) is { Length: > 0 } limit ? limit : ReferenceMemoryLimit();

    // Source rows span 90 days from here; entity rows span 95 days so some fall after the last source row.
    private const string Origin = "TIMESTAMPTZ '2025-01-01 00:00:00+00'";
    private const long SourceSpanSeconds = 90L * 86_400;
    private const long EntitySpanSeconds = 95L * 86_400;

    public BenchData(string directory, long rowsPerView, long entityRows, long users)
    {
        Directory = Path.GetFullPath(directory);
        RowsPerView = rowsPerView;
        EntityRows = entityRows;
        Users = users;
    }

    public string Directory { get; }

    public long RowsPerView { get; }

    public long EntityRows { get; }

    public long Users { get; }

    public string EntityPath => Path.Combine(Directory, "entities.parquet");

    /// <summary>Where results are written; overwritten by every iteration.</summary>
    public string OutputDirectory => Path.Combine(Directory, "out");

    /// <summary>DuckDB's spill folder, on the same disk as the data rather than the working directory.</summary>
    public string TempDirectory => Path.Combine(Directory, "tmp");

    /// <summary>One file per benchmark case holding the peak resident set of the process that ran it.</summary>
    public string PeakDirectory => Path.Combine(Directory, "peak");

    public static BenchData FromEnvironment()
    {
        var directory = Environment.GetEnvironmentVariable(DirectoryVariable)
            ?? throw new InvalidOperationException($"{DirectoryVariable} is not set; run the benchmarks through Program.");
        var sizes = File.ReadAllText(Path.Combine(directory, "sizes.txt")).Split(' ');
        return new BenchData(
            directory,
            long.Parse(sizes[0], CultureInfo.InvariantCulture),
            long.Parse(sizes[1], CultureInfo.InvariantCulture),
            long.Parse(sizes[2], CultureInfo.InvariantCulture));
    }

    public static string FeatureName(int feature) => $"f{feature}";

    public string ViewPath(int view) => Path.Combine(Directory, $"view{view}.parquet");

    /// <summary>Writes whichever file is missing or has the wrong row count; existing good files are kept.</summary>
    public async Task EnsureAsync(TextWriter log)
    {
        System.IO.Directory.CreateDirectory(Directory);
        System.IO.Directory.CreateDirectory(OutputDirectory);
        System.IO.Directory.CreateDirectory(TempDirectory);
        await File.WriteAllTextAsync(
            Path.Combine(Directory, "sizes.txt"),
            string.Create(CultureInfo.InvariantCulture, $"{RowsPerView} {EntityRows} {Users}"));

        await using var connection = await DuckDbHistoricalRetrieval.OpenConnectionAsync();
        await ExecuteAsync(connection, $"SET temp_directory = {Literal(TempDirectory)}");
        await using (var version = connection.CreateCommand())
        {
            // Recorded next to the results: DuckDB's planner changes between releases.
            version.CommandText = "SELECT library_version || ' (' || source_id || ')' FROM pragma_version()";
            await log.WriteLineAsync($"DuckDB {await version.ExecuteScalarAsync()}, data in {Directory}");
        }

        for (var view = 1; view <= ViewCount; view++)
        {
            await EnsureFileAsync(connection, ViewPath(view), RowsPerView, ViewSql(view), log);
        }

        await EnsureFileAsync(connection, EntityPath, EntityRows, EntitySql(), log);
    }

    private static async Task EnsureFileAsync(DuckDBConnection connection, string path, long rows, string select, TextWriter log)
    {
        if (File.Exists(path) && await CountAsync(connection, path) == rows)
        {
            await log.WriteLineAsync($"Using {path} ({rows:N0} rows).");
            return;
        }

        await log.WriteLineAsync($"Generating {path} ({rows:N0} rows)...");
        var started = System.Diagnostics.Stopwatch.StartNew();

        // Written aside and moved into place, so an interrupted run never leaves a file that looks complete.
        var partial = path + ".partial";
        await ExecuteAsync(connection, $"COPY ({select}) TO {Literal(partial)} (FORMAT parquet)");
        File.Move(partial, path, overwrite: true);
        await log.WriteLineAsync($"  done in {started.Elapsed.TotalSeconds:F1} s.");
    }

    private static async Task<long> CountAsync(DuckDBConnection connection, string path)
    {
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT count(*) FROM read_parquet({Literal(path)})";
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
        catch (DuckDBException)
        {
            // A truncated or foreign file: regenerate it.
            return -1;
        }
    }

    // About 5% of rows copy the key and event time of the row before (a tie on event time for the same user) with
    // their own created time and feature values, so the created-time tie-break decides which values come out.
    // Rows are sorted by event time, as an append-only event log would be.
    private string ViewSql(int view)
    {
        var features = new List<string>();
        for (var f = 0; f < FeaturesPerView; f++)
        {
            features.Add(FeatureColumnSql(f, $"hash(i, {view}, {f})"));
        }

        return $"""
            SELECT user_id, event_timestamp,
                event_timestamp + to_seconds(CAST(hash(i, {view}, 'created') % 86400 AS BIGINT)) AS created,
                {string.Join(", ", features)}
            FROM (
                SELECT i,
                    CAST(hash(j, {view}, 'user') % {Users} AS BIGINT) AS user_id,
                    {Origin} + to_seconds(CAST(hash(j, {view}, 'ts') % {SourceSpanSeconds} AS BIGINT)) AS event_timestamp
                FROM (
                    SELECT i, CASE WHEN i > 0 AND hash(i, {view}, 'tie') % 20 = 0 THEN i - 1 ELSE i END AS j
                    FROM range(0, {RowsPerView}) r(i)
                )
            )
            ORDER BY event_timestamp, i
            """;
    }

    // Entity rows in no particular order (labels arrive as they were collected), keys over the same users.
    private string EntitySql() => $"""
        SELECT CAST(hash(i, 'entity_user') % {Users} AS BIGINT) AS user_id,
            {Origin} + to_seconds(CAST(hash(i, 'entity_ts') % {EntitySpanSeconds} AS BIGINT)) AS event_timestamp,
            CAST(hash(i, 'label') % 2 AS BIGINT) AS label
        FROM range(0, {EntityRows}) r(i)
        """;

    /// <summary>
    /// One generated feature column, named <c>f{feature}</c>, from a DuckDB hash expression: doubles (one with 2% nulls,
    /// as real features have), then integers, then short strings. Shared by every benchmark data set.
    /// </summary>
    public static string FeatureColumnSql(int feature, string hash) => feature switch
    {
        < 3 => $"CAST({hash} % 1000000 AS DOUBLE) / 1000.0 AS {FeatureName(feature)}",
        3 => $"CASE WHEN {hash} % 50 <> 0 THEN CAST({hash} % 1000000 AS DOUBLE) / 1000.0 END AS {FeatureName(feature)}",
        < 7 => $"CAST({hash} % 100000 AS BIGINT) AS {FeatureName(feature)}",
        _ => $"'c' || CAST({hash} % 1000 AS VARCHAR) AS {FeatureName(feature)}",
    };

    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static async Task ExecuteAsync(DuckDBConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
