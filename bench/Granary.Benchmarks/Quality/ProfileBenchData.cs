using System.Globalization;
using System.Text;
using Granary.Core.Model;
using Granary.Offline.DuckDb;
using Granary.Offline.Retrieval;
using Granary.Quality.Profiles;

namespace Granary.Benchmarks.Quality;

/// <summary>
/// The profile benchmark's input: one Parquet file of 10,000,000 rows (100,000 with <c>--quick</c>), an event time
/// and ten numeric features of different shapes, generated once by DuckDB into bench/.data/profile and reused. Every
/// value derives from <c>hash()</c> of the row number, so two generations give the same file.
/// </summary>
public sealed class ProfileBenchData
{
    public const int Features = 10;

    /// <summary>Environment variable that carries the file to BenchmarkDotNet's child processes.</summary>
    public const string PathVariable = "GRANARY_BENCH_PROFILE_FILE";

    // Event times span 2026 (365 days); the profiled period is the whole year, so every row is in it.
    private const string Origin = "TIMESTAMPTZ '2026-01-01 00:00:00+00'";
    private const long SpanSeconds = 365L * 86_400;

    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset End = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public ProfileBenchData(string path, long rows)
    {
        Path = System.IO.Path.GetFullPath(path);
        Rows = rows;
    }

    public string Path { get; }

    public long Rows { get; }

    public static ProfileBenchData FromEnvironment()
    {
        var path = Environment.GetEnvironmentVariable(PathVariable)
            ?? throw new InvalidOperationException($"{PathVariable} is not set; run the benchmark with --profile.");
        return new ProfileBenchData(path, rows: 0);
    }

    public static string FeatureName(int feature) => $"f{feature}";

    /// <summary>Doubles (uniform, skewed, with 5% nulls, a heavy tail), then integers of few and of many values.</summary>
    private static FeatureType TypeOf(int feature) => feature < 6 ? FeatureType.Float64 : FeatureType.Int64;

    public async Task EnsureAsync(TextWriter log)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        await using var connection = await DuckDbHistoricalRetrieval.OpenConnectionAsync();
        await using (var version = connection.CreateCommand())
        {
            version.CommandText = "SELECT library_version || ' (' || source_id || ')' FROM pragma_version()";
            await log.WriteLineAsync($"DuckDB {await version.ExecuteScalarAsync()}, data in {Path}");
        }

        if (File.Exists(Path))
        {
            await using var count = connection.CreateCommand();
            count.CommandText = $"SELECT count(*) FROM read_parquet({BenchData.Literal(Path)})";
            if (Convert.ToInt64(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture) == Rows)
            {
                await log.WriteLineAsync($"Using {Path} ({Rows:N0} rows).");
                return;
            }
        }

        await log.WriteLineAsync($"Generating {Path} ({Rows:N0} rows)...");
        var started = System.Diagnostics.Stopwatch.StartNew();
        var partial = Path + ".partial";
        await BenchData.ExecuteAsync(connection, $"COPY ({GenerateSql()}) TO {BenchData.Literal(partial)} (FORMAT parquet)");
        File.Move(partial, Path, overwrite: true);
        await log.WriteLineAsync($"  done in {started.Elapsed.TotalSeconds:F1} s.");
    }

    private string GenerateSql()
    {
        string U(int f) => $"(CAST(hash(i, {f}) % 1000000 AS DOUBLE) / 1000000.0)";
        var columns = new[]
        {
            $"{U(0)} * 100.0",
            $"{U(1)} * {U(11)} * 1000.0",
            $"CASE WHEN hash(i, 'null2') % 20 <> 0 THEN {U(2)} * 50.0 - 25.0 END",
            $"exp({U(3)} * 10.0)",
            $"sqrt(-2.0 * ln({U(4)} + 0.000001)) * cos(2.0 * pi() * {U(14)})",
            $"round({U(5)} * 1000.0, 2)",
            "CAST(hash(i, 6) % 100 AS BIGINT)",
            "CAST(hash(i, 7) % 5000000 AS BIGINT)",
            "CASE WHEN hash(i, 'null8') % 50 <> 0 THEN CAST(hash(i, 8) % 1000 AS BIGINT) - 500 END",
            "CAST(hash(i, 9) % 100000 AS BIGINT) * 3",
        };
        var select = new StringBuilder($"SELECT CAST(hash(i, 'user') % 1000000 AS BIGINT) AS user_id, {Origin} + to_seconds(CAST(hash(i, 'ts') % {SpanSeconds} AS BIGINT)) AS event_timestamp");
        for (var f = 0; f < Features; f++)
        {
            select.Append(CultureInfo.InvariantCulture, $",\n    {columns[f]} AS {FeatureName(f)}");
        }

        return select.Append(CultureInfo.InvariantCulture, $"\nFROM range(0, {Rows}) r(i)").ToString();
    }

    /// <summary>What <c>granary profile</c> asks the engine for: the view over the file, every feature, the whole year.</summary>
    public ProfileRequest Request()
    {
        var features = Enumerable.Range(0, Features).Select(FeatureName).ToList();
        var view = new FeatureView
        {
            Name = "profiled",
            Entities = ["user"],
            Schema = [.. features.Select((name, f) => new Field(name, TypeOf(f)))],
            Ttl = TimeSpan.Zero,
            Source = "profiled_source",
        };
        var source = new FileSource { Name = "profiled_source", Path = Path, Format = FileFormat.Parquet, TimestampField = "event_timestamp" };
        return new ProfileRequest(new PointInTimeView(view, source, ["user_id"], features), Start, End, System.IO.Path.GetDirectoryName(Path)!);
    }

    /// <summary>
    /// What a DuckDB user would write by hand for the same aggregates, in one <c>SELECT</c> over the rows in the
    /// period: per feature count, count(col), mean, sample standard deviation, min, max, the same quantile levels,
    /// approx_count_distinct, and a 20-bin equal-width histogram between the column's min and max (read by scalar
    /// subqueries, as a hand-written query must know the range before it can bin).
    /// </summary>
    public string ReferenceSql()
    {
        var range = $"event_timestamp >= {Timestamp(Start)} AND event_timestamp < {Timestamp(End)}";
        var from = $"read_parquet({BenchData.Literal(Path)})";
        var select = new StringBuilder("count(*)");
        var bounds = new List<string>();
        for (var f = 0; f < Features; f++)
        {
            var x = $"CAST({FeatureName(f)} AS DOUBLE)";
            bounds.Add($"min({x}) AS lo{f}, (max({x}) - min({x})) / {ProfileLimits.HistogramBins} AS w{f}");
            select.Append(CultureInfo.InvariantCulture, $"""
                ,
                    count({FeatureName(f)}), avg({x}), stddev_samp({x}), min({x}), max({x}),
                    quantile_cont({x}, [{ProfileLevels.SqlList}]), approx_count_distinct({FeatureName(f)}),
                    histogram(least(floor(({x} - b.lo{f}) / b.w{f}), {ProfileLimits.HistogramBins - 1}))
                """);
        }

        return $"""
            SELECT {select}
            FROM {from} t, (SELECT {string.Join(", ", bounds)} FROM {from} WHERE {range}) b
            WHERE {range}
            """;
    }

    private static string Timestamp(DateTimeOffset value) =>
        $"TIMESTAMPTZ '{value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}+00'";
}
