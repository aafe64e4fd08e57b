using Granary.Core.Model;
using Granary.Offline;
using Granary.Offline.DuckDb;
using Granary.Offline.Postgres;
using Granary.Offline.Retrieval;
using Npgsql;
using NpgsqlTypes;

namespace Granary.Tests.Offline.Retrieval;

/// <summary>
/// Runs a <see cref="PitScenario"/> on the PostgreSQL engine: each view's rows become a table in a fresh schema (a
/// Parquet view is read as a schema-qualified table with TIMESTAMPTZ times, a CSV view through a query over a table
/// with naive times), and the entity rows arrive as the Parquet file, or with full names as an ordered query.
/// </summary>
internal static class PostgresPitScenario
{
    private static int _schemas;

    public static async Task<List<object?[]>> RunEngineAsync(
        IPointInTimeReader engine,
        string connectionString,
        string root,
        IReadOnlyList<PitEntityRow> entities,
        IReadOnlyList<PitView> views,
        bool fullNames,
        bool filterByCreated)
    {
        var schema = $"pit_{Interlocked.Increment(ref _schemas)}";
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, $"CREATE SCHEMA {schema}");
        try
        {
            var pitViews = new List<PointInTimeView>();
            foreach (var view in views)
            {
                var pitView = PitScenario.ToPointInTimeView(view, "unused");
                var source = await CreateSourceAsync(connection, $"{schema}.{view.Name}", view);
                pitViews.Add(pitView with { Source = source });
            }

            EntityTable entityTable;
            if (fullNames)
            {
                await LoadEntitiesAsync(connection, $"{schema}.entities", entities);
                entityTable = EntityTable.FromQuery($"SELECT k, k2, event_timestamp, label FROM {schema}.entities ORDER BY pos");
            }
            else
            {
                await using var duck = await DuckDbHistoricalRetrieval.OpenConnectionAsync();
                entityTable = EntityTable.FromFile(await PitScenario.WriteFilesAsync(duck, root, entities, []));
            }

            var request = new PointInTimeRequest
            {
                Entities = entityTable,
                Views = pitViews,
                RepositoryRoot = root,
                FullFeatureNames = fullNames,
                FilterByCreatedTimestamp = filterByCreated,
            };
            await using var rows = await engine.ReadAsync(request);
            return await PitScenario.ReadRowsAsync(rows.Reader, views, fullNames);
        }
        finally
        {
            await ExecuteAsync(connection, $"DROP SCHEMA {schema} CASCADE");
        }
    }

    /// <summary>
    /// Loads <paramref name="view"/>'s rows into a table <paramref name="table"/> and returns its source: the table
    /// (TIMESTAMPTZ times) for a Parquet view, a query over it (naive times) for a CSV view.
    /// </summary>
    public static async Task<BatchSource> CreateSourceAsync(NpgsqlConnection connection, string table, PitView view)
    {
        var naive = view.Format == FileFormat.Csv;
        await LoadSourceAsync(connection, table, view, naive);
        var file = (FileSource)PitScenario.ToPointInTimeView(view, "unused").Source;
        return new PostgresSource
        {
            Name = file.Name,
            Table = naive ? null : table,
            Query = naive ? $"SELECT * FROM {table};" : null,
            TimestampField = file.TimestampField,
            CreatedTimestampColumn = file.CreatedTimestampColumn,
            FieldMapping = file.FieldMapping,
        };
    }

    private static async Task LoadSourceAsync(NpgsqlConnection connection, string table, PitView view, bool naive)
    {
        var time = naive ? "timestamp" : "timestamptz";
        var created = view.HasCreated ? $"created {time}, " : "";
        await ExecuteAsync(connection, $"CREATE TABLE {table} (key bigint, k2 bigint, ts {time}, {created}val bigint)");
        var type = naive ? NpgsqlDbType.Timestamp : NpgsqlDbType.TimestampTz;
        await using var writer = await connection.BeginBinaryImportAsync(
            $"COPY {table} (key, k2, ts, {(view.HasCreated ? "created, " : "")}val) FROM STDIN (FORMAT BINARY)");
        foreach (var row in view.Rows)
        {
            await writer.StartRowAsync();
            await writer.WriteAsync(row.Key, NpgsqlDbType.Bigint);
            await writer.WriteAsync(row.Key2, NpgsqlDbType.Bigint);
            await writer.WriteAsync(Time(row.Event, naive), type);
            if (view.HasCreated)
            {
                await writer.WriteAsync(Time(row.Created!.Value, naive), type);
            }

            await WriteNullableAsync(writer, row.Value);
        }

        await writer.CompleteAsync();
    }

    private static async Task LoadEntitiesAsync(NpgsqlConnection connection, string table, IReadOnlyList<PitEntityRow> entities)
    {
        // A naive timestamp on purpose: the engine must read it as UTC. Positions run backwards from the physical
        // order, so only the query's ORDER BY can put the rows back in input order.
        await ExecuteAsync(connection, $"CREATE TABLE {table} (pos bigint, k bigint, k2 bigint, event_timestamp timestamp, label bigint)");
        await using var writer = await connection.BeginBinaryImportAsync($"COPY {table} FROM STDIN (FORMAT BINARY)");
        for (var i = entities.Count - 1; i >= 0; i--)
        {
            var row = entities[i];
            await writer.StartRowAsync();
            await writer.WriteAsync((long)i, NpgsqlDbType.Bigint);
            await writer.WriteAsync(row.Key, NpgsqlDbType.Bigint);
            await writer.WriteAsync(row.Key2, NpgsqlDbType.Bigint);
            await writer.WriteAsync(DateTime.SpecifyKind(row.Time, DateTimeKind.Unspecified), NpgsqlDbType.Timestamp);
            await writer.WriteAsync(row.Label, NpgsqlDbType.Bigint);
        }

        await writer.CompleteAsync();
    }

    private static DateTime Time(DateTime value, bool naive) =>
        DateTime.SpecifyKind(value, naive ? DateTimeKind.Unspecified : DateTimeKind.Utc);

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter writer, long? value)
    {
        if (value is { } v)
        {
            await writer.WriteAsync(v, NpgsqlDbType.Bigint);
        }
        else
        {
            await writer.WriteNullAsync();
        }
    }

    internal static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
