using System.Globalization;
using Granary.Core.Model;
using Granary.Offline;
using Granary.Offline.DuckDb;
using Granary.Offline.Postgres;
using Granary.Offline.Retrieval;
using Granary.Tests.Infrastructure;
using Npgsql;

namespace Granary.Tests.Offline.Retrieval;

/// <summary>
/// What the PostgreSQL engine's example tests share: a database of the test's own, an engine on it, a temp folder,
/// and small builders for sources, views and requests.
/// </summary>
public abstract class PostgresEngineFixture(PostgresServer server) : IAsyncLifetime
{
    protected static readonly DateTime T = PitScenario.Origin.AddHours(10);

    protected string ConnectionString { get; private set; } = "";

    private protected PostgresOfflineEngine Engine { get; private set; } = null!;

    protected string Root { get; } = Directory.CreateTempSubdirectory("granary-pg-example-").FullName;

    public async Task InitializeAsync()
    {
        ConnectionString = await server.CreateDatabaseAsync();
        Engine = new PostgresOfflineEngine(ConnectionString);

        // The usual source: customer 1 has two values (the later wins at T), customer 2 has one after T.
        await ExecuteAsync("""
            CREATE TABLE features (key bigint, ts timestamptz, created timestamptz, val bigint);
            INSERT INTO features VALUES
                (1, '2026-01-01 08:00+00', '2026-01-01 08:00+00', 1),
                (1, '2026-01-01 09:00+00', '2026-01-01 09:00+00', 3),
                (2, '2026-01-01 11:00+00', '2026-01-01 11:00+00', 5);
            """);
    }

    public async Task DisposeAsync()
    {
        await Engine.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }

    protected async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await PostgresPitScenario.ExecuteAsync(connection, sql);
    }

    /// <summary>Writes <paramref name="select"/> (DuckDB SQL) to a file under the root; returns its path.</summary>
    protected async Task<string> WriteFileAsync(string name, string select)
    {
        var path = Path.Combine(Root, name);
        var options = name.EndsWith(".csv", StringComparison.Ordinal) ? "FORMAT csv, HEADER true" : "FORMAT parquet";
        await using var connection = await DuckDbHistoricalRetrieval.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"COPY ({select}) TO {DuckDbSql.Literal(path)} ({options})";
        await command.ExecuteNonQueryAsync();
        return path;
    }

    /// <summary>A view <c>view0</c> keyed by <c>k</c> with feature <c>f0</c>, read from <paramref name="source"/>.</summary>
    protected static PointInTimeView View(BatchSource source, TimeSpan ttl = default)
    {
        var featureView = new FeatureView
        {
            Name = "view0",
            Entities = ["key"],
            Schema = [new Field("f0", FeatureType.Int64)],
            Ttl = ttl,
            Source = source.Name,
        };
        return new PointInTimeView(featureView, source, ["k"], ["f0"]);
    }

    /// <summary>A PostgreSQL source over a table or query with columns <c>key, ts, created, val</c>.</summary>
    protected static PostgresSource Source(string? table = "features", string? query = null) => new()
    {
        Name = "features_source",
        Table = table,
        Query = query,
        TimestampField = "ts",
        CreatedTimestampColumn = "created",
        FieldMapping = new Dictionary<string, string> { ["key"] = "k", ["val"] = "f0" },
    };

    protected PointInTimeRequest Request(EntityTable entities, params PointInTimeView[] views) =>
        new() { Entities = entities, Views = views, RepositoryRoot = Root };

    /// <summary>Every row of <paramref name="request"/>, each value as text (<c>-</c> for null), fields joined by <c>|</c>.</summary>
    protected async Task<List<string>> ReadAsync(PointInTimeRequest request)
    {
        await using var rows = await Engine.ReadAsync(request);
        return await ReadAllAsync(rows);
    }

    protected static async Task<List<string>> ReadAllAsync(OfflineRows rows)
    {
        var result = new List<string>();
        while (await rows.Reader.ReadAsync())
        {
            result.Add(string.Join("|", Enumerable.Range(0, rows.Reader.FieldCount).Select(i => rows.Reader.IsDBNull(i) ? "-" : Text(rows.Reader.GetValue(i)))));
        }

        return result;
    }

    private static string Text(object value) => value switch
    {
        DateTime time => time.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
