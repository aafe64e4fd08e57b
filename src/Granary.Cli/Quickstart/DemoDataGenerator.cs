using System.Diagnostics;
using DuckDB.NET.Data;

namespace Granary.Cli.Quickstart;

/// <summary>
/// Writes the quickstart's ad-tech data set (users, ads, impressions, clicks, conversions and two daily feature
/// tables) as Parquet files under <c>&lt;repository&gt;/data</c>. All of it is computed by SQL inside an in-memory
/// DuckDB (see <see cref="DemoEventsSql"/>, <see cref="DemoImpressionsSql"/> and <see cref="DemoSnapshotsSql"/>),
/// so the default 300,000 impressions take about a second.
/// </summary>
internal static class DemoDataGenerator
{
    /// <summary>The folder, under the repository root, that the files are written to.</summary>
    public const string DataFolder = "data";

    // What each file holds, in the order written. Rows are sorted so that the same options give byte-identical files.
    private static readonly OutputFile[] Outputs =
    [
        new("users.parquet", "users_out", "user_id, age, country, device, signup_timestamp, event_timestamp, created", "user_id, event_timestamp"),
        new("ads.parquet", "ads_out", "ad_id, advertiser_id, category, bid_cpm, event_timestamp, created", "ad_id, event_timestamp"),
        new("impressions.parquet", "impressions_out", "impression_id, user_id, ad_id, event_timestamp, clicked, converted", "impression_id"),
        new("clicks.parquet", "clicks_out", "impression_id, user_id, ad_id, event_timestamp", "event_timestamp, impression_id"),
        new("conversions.parquet", "conversions_out", "impression_id, user_id, ad_id, event_timestamp, revenue", "event_timestamp, impression_id"),
        new(
            "user_activity.parquet",
            "user_activity_out",
            "user_id, event_timestamp, created, impressions_7d, clicks_7d, ctr_7d, conversions_30d, spend_30d",
            "event_timestamp, user_id, created"),
        new("ad_performance.parquet", "ad_performance_out", "ad_id, event_timestamp, created, impressions_1d, clicks_1d, ctr_7d", "event_timestamp, ad_id"),
    ];

    /// <summary>The names of the files <see cref="GenerateAsync"/> writes.</summary>
    public static IEnumerable<string> FileNames => Outputs.Select(o => o.Name);

    /// <summary>
    /// Generates the data set into <c>&lt;repositoryRoot&gt;/data</c>, replacing files of the same names.
    /// </summary>
    /// <param name="repositoryRoot">The feature repository's root folder; created when missing.</param>
    /// <param name="options">Sizes, seed and time window.</param>
    /// <param name="cancellationToken">Cancels between statements.</param>
    public static async Task<DemoDataSummary> GenerateAsync(string repositoryRoot, DemoDataOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repositoryRoot);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var stopwatch = Stopwatch.StartNew();
        var folder = Path.GetFullPath(Path.Combine(repositoryRoot, DataFolder));
        Directory.CreateDirectory(folder);

        // A connection of its own rather than Granary.Offline's helper (internal to that assembly); the script
        // sets the UTC session time zone itself as its first statement.
        await using var connection = new DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync(cancellationToken);
        foreach (var statement in DemoEventsSql.Statements(options).Concat(DemoSnapshotsSql.Statements(options)))
        {
            await ExecuteAsync(connection, statement, cancellationToken);
        }

        var files = new List<DemoDataFile>(Outputs.Length);
        foreach (var output in Outputs)
        {
            var path = Path.Combine(folder, output.Name);
            await ExecuteAsync(
                connection,
                $"COPY (SELECT {output.Columns} FROM {output.Table} ORDER BY {output.OrderBy}) TO {Literal(path)} (FORMAT parquet, COMPRESSION zstd)",
                cancellationToken);
            var rows = await CountAsync(connection, output.Table, cancellationToken);
            files.Add(new DemoDataFile(output.Name, path, rows));
        }

        return new DemoDataSummary(files, options.WindowStart, options.Anchor, stopwatch.Elapsed);
    }

    private static async Task ExecuteAsync(DuckDBConnection connection, string sql, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long> CountAsync(DuckDBConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {table}";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private sealed record OutputFile(string Name, string Table, string Columns, string OrderBy);
}
