using System.Diagnostics;
using System.Globalization;
using System.Text;
using DuckDB.NET.Data;

namespace Granary.LoadGenerator;

/// <summary>
/// Writes a feature repository of one view, <c>stats</c>, with 50 features (f0, f3, ... float64; f1, f4, ... int64;
/// f2, f5, ... string) over N users, one source row each, generated in DuckDB from <c>hash()</c> of the user id, then
/// applies and materializes it into the online store asked for.
/// </summary>
internal static class Prepare
{
    public const int Features = 50;

    public static readonly DateTimeOffset End = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task RunAsync(Options options)
    {
        var root = Path.GetFullPath(options.Required("repo"));
        var entities = options.Int("entities", 100_000);
        var store = options.String("store") ?? "embedded";
        var onlineStore = store == "redis" ? $"{{type: redis, connection: \"{options.Required("redis")}\"}}" : "{type: embedded}";
        var marker = Path.Combine(root, "materialized.txt");
        if (store == "embedded" && File.Exists(marker) && File.ReadAllText(marker).Trim() == entities.ToString(CultureInfo.InvariantCulture))
        {
            Console.WriteLine($"Using {root} ({entities:N0} users, materialized).");
            return;
        }

        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        Directory.CreateDirectory(root);
        var source = Path.Combine(root, "events.parquet");
        await WriteSourceAsync(source, entities);
        await File.WriteAllTextAsync(Path.Combine(root, "granary.yaml"), $"project: bench\nonline_store: {onlineStore}\n");
        var yaml = new StringBuilder()
            .Append("entities:\n  - {name: user, join_keys: [user_id], value_type: int64}\n")
            .Append(CultureInfo.InvariantCulture, $"sources:\n  - {{name: events, type: file, path: \"{source}\", timestamp_field: event_timestamp}}\n")
            .Append(CultureInfo.InvariantCulture, $"feature_views:\n  - name: {Requests.View}\n    entities: [user]\n    source: events\n    schema:\n");
        for (var f = 0; f < Features; f++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"      - {{name: f{f}, dtype: {(f % 3) switch { 0 => "float64", 1 => "int64", _ => "string" }}}}\n");
        }

        await File.WriteAllTextAsync(Path.Combine(root, "features.yaml"), yaml.ToString());
        await using var featureStore = FeatureStore.Open(root);
        await featureStore.ApplyAsync();
        var watch = Stopwatch.StartNew();
        var result = (await featureStore.MaterializeAsync(DateTimeOffset.UnixEpoch, End, [Requests.View])).Single();
        Console.WriteLine($"Materialized {result.Rows:N0} users x {Features} features into {onlineStore} in {watch.Elapsed.TotalSeconds:F1} s.");
        await File.WriteAllTextAsync(marker, result.Rows.ToString(CultureInfo.InvariantCulture));
    }

    private static async Task WriteSourceAsync(string path, int entities)
    {
        var columns = new List<string>();
        for (var f = 0; f < Features; f++)
        {
            var h = $"hash(i, {f})";
            columns.Add((f % 3) switch
            {
                0 => $"CAST({h} % 1000000 AS DOUBLE) / 1000.0 AS f{f}",
                1 => $"CAST({h} % 100000 AS BIGINT) AS f{f}",
                _ => $"'c' || CAST({h} % 1000 AS VARCHAR) AS f{f}",
            });
        }

        var sql = $"""
            COPY (
                SELECT CAST(i AS BIGINT) AS user_id,
                    TIMESTAMPTZ '2025-06-01 00:00:00+00' + to_seconds(CAST(hash(i, 'ts') % 8640000 AS BIGINT)) AS event_timestamp,
                    {string.Join(", ", columns)}
                FROM range(0, {entities}) r(i)
            ) TO '{path.Replace("'", "''", StringComparison.Ordinal)}' (FORMAT parquet)
            """;
        await using var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
