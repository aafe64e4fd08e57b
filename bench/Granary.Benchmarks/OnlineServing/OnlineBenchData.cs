using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using Granary.Offline.DuckDb;
using Granary.Offline.Retrieval;

namespace Granary.Benchmarks.OnlineServing;

/// <summary>
/// The source of the online-store benchmarks: one Parquet file of <see cref="Entities"/> users with
/// <see cref="RowsPerEntity"/> rows each, generated once inside DuckDB into a cache folder. Every value derives from
/// <c>hash()</c> of the row number, so two generations give the same file whatever the thread count. Columns:
/// <c>user_id</c> BIGINT (row number modulo the entity count, so each user has exactly that many rows),
/// <c>event_timestamp</c> TIMESTAMPTZ over 90 days, <c>created</c> up to a day later, <c>f0</c>-<c>f3</c> DOUBLE
/// (<c>f3</c> 2% NULL), <c>f4</c>-<c>f6</c> BIGINT, <c>f7</c>-<c>f9</c> VARCHAR; sorted by event time, as an
/// append-only event log would be.
/// </summary>
public sealed class OnlineBenchData
{
    public const string View = "stats";
    public const string Project = "bench";

    /// <summary>A feature service over all ten features: serving through it records usage, as a model's lookups do.</summary>
    public const string Service = "stats_model";
    public const int Features = 10;

    /// <summary>The end of every materialization interval: after the last source row.</summary>
    public static readonly DateTimeOffset End = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const string Origin = "TIMESTAMPTZ '2025-01-01 00:00:00+00'";
    private const long SpanSeconds = 90L * 86_400;

    public OnlineBenchData(string directory, long entities, int rowsPerEntity)
    {
        Directory = Path.GetFullPath(directory);
        Entities = entities;
        RowsPerEntity = rowsPerEntity;
    }

    public string Directory { get; }

    public long Entities { get; }

    public int RowsPerEntity { get; }

    public long Rows => Entities * RowsPerEntity;

    public string SourcePath => Path.Combine(Directory, string.Create(CultureInfo.InvariantCulture, $"events_{Entities}x{RowsPerEntity}.parquet"));

    public static string FeatureName(int feature) => $"f{feature}";

    /// <summary>The feature references of all ten features, <c>stats:f0</c> ... <c>stats:f9</c>.</summary>
    public static IReadOnlyList<string> FeatureReferences { get; } = [.. Enumerable.Range(0, Features).Select(f => $"{View}:{FeatureName(f)}")];

    /// <summary>Writes the source file unless a complete one is there.</summary>
    public async Task EnsureAsync(TextWriter log)
    {
        System.IO.Directory.CreateDirectory(Directory);
        await using var connection = await DuckDbHistoricalRetrieval.OpenConnectionAsync();
        if (File.Exists(SourcePath) && await CountAsync(connection, SourcePath) == Rows)
        {
            await log.WriteLineAsync($"Using {SourcePath} ({Rows:N0} rows).");
            return;
        }

        await log.WriteLineAsync($"Generating {SourcePath} ({Rows:N0} rows)...");
        var started = System.Diagnostics.Stopwatch.StartNew();
        var partial = SourcePath + ".partial";
        await BenchData.ExecuteAsync(connection, $"SET temp_directory = {BenchData.Literal(Path.Combine(Directory, "tmp"))}");
        await BenchData.ExecuteAsync(connection, $"COPY ({SourceSql()}) TO {BenchData.Literal(partial)} (FORMAT parquet)");
        File.Move(partial, SourcePath, overwrite: true);
        await log.WriteLineAsync($"  done in {started.Elapsed.TotalSeconds:F1} s.");
    }

    /// <summary>
    /// Writes a feature repository around the source into <paramref name="root"/>: <c>granary.yaml</c> with
    /// <paramref name="onlineStoreYaml"/> (e.g. <c>{type: embedded}</c>), one online view of all ten features and the
    /// feature service <see cref="Service"/> over them.
    /// </summary>
    public void WriteRepository(string root, string onlineStoreYaml)
    {
        System.IO.Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "granary.yaml"), $"project: {Project}\nonline_store: {onlineStoreYaml}\n");
        var schema = new StringBuilder();
        for (var f = 0; f < Features; f++)
        {
            var type = f switch
            {
                < 4 => "float64",
                < 7 => "int64",
                _ => "string",
            };
            schema.Append(CultureInfo.InvariantCulture, $"      - {{name: {FeatureName(f)}, dtype: {type}}}\n");
        }

        var yaml = new StringBuilder()
            .Append("entities:\n")
            .Append("  - {name: user, join_keys: [user_id], value_type: int64}\n")
            .Append("sources:\n")
            .Append(CultureInfo.InvariantCulture, $"  - {{name: events, type: file, path: \"{SourcePath}\", timestamp_field: event_timestamp, created_timestamp_column: created}}\n")
            .Append("feature_views:\n")
            .Append(CultureInfo.InvariantCulture, $"  - name: {View}\n")
            .Append("    entities: [user]\n")
            .Append("    source: events\n")
            .Append("    schema:\n")
            .Append(schema)
            .Append("feature_services:\n")
            .Append(CultureInfo.InvariantCulture, $"  - name: {Service}\n")
            .Append(CultureInfo.InvariantCulture, $"    features: [{string.Join(", ", FeatureReferences)}]\n");
        File.WriteAllText(Path.Combine(root, "features.yaml"), yaml.ToString());
    }

    /// <summary>Granary's materialization query, written by hand: the latest row per user, by event then created time.</summary>
    public string ReferenceLatestSql() => $"""
        SELECT user_id, event_timestamp, created, {string.Join(", ", Enumerable.Range(0, Features).Select(FeatureName))}
        FROM read_parquet({BenchData.Literal(SourcePath)})
        QUALIFY row_number() OVER (PARTITION BY user_id ORDER BY event_timestamp DESC, created DESC NULLS LAST) = 1
        """;

    /// <summary>The same latest row per user from <c>arg_max</c>: aggregate state per user rather than a window over every row.</summary>
    public string ReferenceArgMaxSql() => $"""
        SELECT user_id, unnest(arg_max(struct_pack(event_timestamp, created, {string.Join(", ", Enumerable.Range(0, Features).Select(FeatureName))}), struct_pack(event_timestamp, created)))
        FROM read_parquet({BenchData.Literal(SourcePath)})
        GROUP BY user_id
        """;

    private string SourceSql()
    {
        var features = new List<string>();
        for (var f = 0; f < Features; f++)
        {
            features.Add(BenchData.FeatureColumnSql(f, $"hash(i, {f})"));
        }

        return $"""
            SELECT user_id, event_timestamp,
                event_timestamp + to_seconds(CAST(hash(i, 'created') % 86400 AS BIGINT)) AS created,
                {string.Join(", ", features)}
            FROM (
                SELECT i, CAST(i % {Entities} AS BIGINT) AS user_id,
                    {Origin} + to_seconds(CAST(hash(i, 'ts') % {SpanSeconds} AS BIGINT)) AS event_timestamp
                FROM range(0, {Rows}) r(i)
            )
            ORDER BY event_timestamp, i
            """;
    }

    private static async Task<long> CountAsync(DuckDBConnection connection, string path)
    {
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT count(*) FROM read_parquet({BenchData.Literal(path)})";
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
        catch (DuckDBException)
        {
            return -1;
        }
    }
}
