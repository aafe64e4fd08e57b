using System.Globalization;
using System.Text;
using Granary.Core.Model;
using Granary.Offline.Retrieval;
using Npgsql;

namespace Granary.Benchmarks.Postgres;

/// <summary>
/// The PostgreSQL point-in-time benchmark's data, generated inside PostgreSQL from <c>hashint8extended</c> of the row
/// number (identical on every run): three views of 60,000 rows and 10 features over 10,000 users, and 20,000 entity
/// rows. Schema <c>plain</c> has no index; schema <c>indexed</c> holds the same views with an index on
/// (user_id, event_timestamp) each. As in <see cref="BenchData"/>, about 5% of source rows repeat the user and event
/// time of the row before with their own created time, so the created-time tie-break decides the answer.
/// </summary>
public static class PostgresPitData
{
    public const int ViewCount = 3;
    public const int FeaturesPerView = 10;
    public const long RowsPerView = 60_000;
    public const long EntityRows = 20_000;
    public const long Users = 10_000;

    /// <summary>Environment variable that carries the database's connection string to BenchmarkDotNet's child processes.</summary>
    public const string ConnectionVariable = "GRANARY_BENCH_PG_CONNECTION";

    private static readonly TimeSpan Ttl = TimeSpan.FromDays(30);

    private const string Origin = "TIMESTAMPTZ '2025-01-01 00:00:00+00'";

    /// <summary>Creates both schemas and their tables, then analyzes them.</summary>
    public static async Task CreateAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var sql = new StringBuilder("DROP SCHEMA IF EXISTS plain CASCADE; DROP SCHEMA IF EXISTS indexed CASCADE; CREATE SCHEMA plain; CREATE SCHEMA indexed;\n");
        for (var v = 1; v <= ViewCount; v++)
        {
            sql.AppendLine(CultureInfo.InvariantCulture, $"CREATE TABLE plain.view{v} AS {ViewSql(v)};");
            sql.AppendLine(CultureInfo.InvariantCulture, $"CREATE TABLE indexed.view{v} AS SELECT * FROM plain.view{v};");
            sql.AppendLine(CultureInfo.InvariantCulture, $"CREATE INDEX ON indexed.view{v} (user_id, event_timestamp);");
        }

        sql.AppendLine(CultureInfo.InvariantCulture, $"""
            CREATE TABLE plain.entities AS
            SELECT {Hash("i", 1)} % {Users} AS user_id,
                {Origin} + ({Hash("i", 2)} % (95 * 86400)) * INTERVAL '1 second' AS event_timestamp,
                {Hash("i", 3)} % 2 AS label
            FROM generate_series(0, {EntityRows - 1}) i;
            """);
        await using (var command = new NpgsqlCommand(sql.ToString(), connection) { CommandTimeout = 600 })
        {
            await command.ExecuteNonQueryAsync();
        }

        await using var analyze = new NpgsqlCommand("VACUUM ANALYZE", connection) { CommandTimeout = 600 };
        await analyze.ExecuteNonQueryAsync();
    }

    /// <summary>Granary's request: the entity table against the three views of <paramref name="schema"/>.</summary>
    public static PointInTimeRequest Request(string schema)
    {
        var features = Enumerable.Range(0, FeaturesPerView).Select(BenchData.FeatureName).ToList();
        var views = new List<PointInTimeView>();
        for (var v = 1; v <= ViewCount; v++)
        {
            var view = new FeatureView
            {
                Name = $"view{v}",
                Entities = ["user"],
                Schema = [.. features.Select((name, f) => new Field(name, f < 4 ? FeatureType.Float64 : f < 7 ? FeatureType.Int64 : FeatureType.String))],
                Ttl = v == 1 ? Ttl : TimeSpan.Zero,
                Source = $"view{v}_source",
            };
            var source = new PostgresSource
            {
                Name = $"view{v}_source",
                Table = $"{schema}.view{v}",
                TimestampField = "event_timestamp",
                CreatedTimestampColumn = "created",
            };
            views.Add(new PointInTimeView(view, source, ["user_id"], features));
        }

        return new PointInTimeRequest
        {
            Entities = EntityTable.FromRelation("plain.entities"),
            Views = views,
            RepositoryRoot = Directory.GetCurrentDirectory(),
            FullFeatureNames = true,
        };
    }

    /// <summary>
    /// What a PostgreSQL user writes by hand, and what Granary ran before: per view a <c>LEFT JOIN LATERAL</c> taking the
    /// latest row at or before the entity row's time (created time breaking ties), TTL as a lower bound. Fast when
    /// <paramref name="schema"/> has an index on (user_id, event_timestamp); without one, a scan per entity row.
    /// </summary>
    public static string LateralSql(string schema)
    {
        var sql = new StringBuilder("SELECT e.user_id, e.event_timestamp, e.label");
        for (var v = 1; v <= ViewCount; v++)
        {
            for (var f = 0; f < FeaturesPerView; f++)
            {
                sql.Append(CultureInfo.InvariantCulture, $", r{v}.f{f} AS view{v}__f{f}");
            }
        }

        sql.Append("\nFROM plain.entities e");
        for (var v = 1; v <= ViewCount; v++)
        {
            var ttl = v == 1 ? $" AND s.event_timestamp >= e.event_timestamp - INTERVAL '{Ttl.Days} days'" : "";
            var featureList = string.Join(", ", Enumerable.Range(0, FeaturesPerView).Select(f => $"s.f{f}"));
            sql.Append(CultureInfo.InvariantCulture, $"""

                LEFT JOIN LATERAL (
                    SELECT {featureList} FROM {schema}.view{v} s
                    WHERE s.user_id = e.user_id AND s.event_timestamp <= e.event_timestamp{ttl}
                    ORDER BY s.event_timestamp DESC, s.created DESC NULLS LAST LIMIT 1
                ) r{v} ON true
                """);
        }

        return sql.ToString();
    }

    private static string ViewSql(int view)
    {
        var features = new List<string>();
        for (var f = 0; f < FeaturesPerView; f++)
        {
            var hash = Hash("i", (view * 100) + f + 10);
            features.Add(f switch
            {
                < 3 => $"({hash} % 1000000)::double precision / 1000.0 AS f{f}",
                3 => $"CASE WHEN {hash} % 50 <> 0 THEN ({hash} % 1000000)::double precision / 1000.0 END AS f{f}",
                < 7 => $"{hash} % 100000 AS f{f}",
                _ => $"'c' || ({hash} % 1000)::text AS f{f}",
            });
        }

        return $"""
            SELECT user_id, event_timestamp, event_timestamp + ({Hash("i", (view * 100) + 1)} % 86400) * INTERVAL '1 second' AS created,
                {string.Join(", ", features)}
            FROM (
                SELECT i, {Hash("j", (view * 100) + 2)} % {Users} AS user_id,
                    {Origin} + ({Hash("j", (view * 100) + 3)} % (90 * 86400)) * INTERVAL '1 second' AS event_timestamp
                FROM (
                    SELECT i, CASE WHEN i > 0 AND {Hash("i", (view * 100) + 4)} % 20 = 0 THEN i - 1 ELSE i END AS j
                    FROM generate_series(0::bigint, {RowsPerView - 1}) i
                ) numbered
            ) keyed
            ORDER BY event_timestamp, i
            """;
    }

    // A non-negative 63-bit hash of a bigint expression, seeded.
    private static string Hash(string expression, int seed) =>
        string.Create(CultureInfo.InvariantCulture, $"(hashint8extended(({expression})::bigint, {seed}) & 9223372036854775807)");
}
