using System.Globalization;
using System.Text;
using Granary.Core.Model;
using Granary.Offline;
using Granary.Offline.DuckDb;
using Granary.Offline.Retrieval;

namespace Granary.Tests.Offline.Retrieval;

/// <summary>A source row on the test's time grid; <c>Created</c> is null for a view whose source has no created column.</summary>
public sealed record PitSourceRow(long Key, long Key2, DateTime Event, DateTime? Created, long? Value);

/// <summary>An entity row; <c>Label</c> passes through untouched.</summary>
public sealed record PitEntityRow(long Key, long Key2, DateTime Time, long Label);

/// <summary>
/// A view of a scenario: keyed by <c>k</c> (and <c>k2</c> when composite); its file has columns
/// <c>key, k2, ts, [created,] val</c>, mapped onto <c>k</c> and <c>f{index}</c> through <see cref="BatchSource.FieldMapping"/>.
/// </summary>
public sealed record PitView(int Index, TimeSpan Ttl, bool Composite, bool HasCreated, FileFormat Format, IReadOnlyList<PitSourceRow> Rows)
{
    public string Name => $"view{Index}";

    public string Feature => $"f{Index}";

    public IReadOnlyList<string> JoinKeys => Composite ? ["k", "k2"] : ["k"];
}

/// <summary>Writes a scenario's tables with DuckDB, runs an engine on them, and computes the naive expected answer.</summary>
internal static class PitScenario
{
    public static readonly DateTime Origin = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static async Task<List<object?[]>> RunEngineAsync(
        IPointInTimeReader engine, string root, IReadOnlyList<PitEntityRow> entities, IReadOnlyList<PitView> views, bool fullNames, bool filterByCreated)
    {
        // A CSV file without rows has no types (DuckDB reads its header as text), and the engine rightly refuses to join
        // numeric keys against text; an empty source is written as Parquet, which keeps them.
        views = [.. views.Select(v => v.Format == FileFormat.Csv && v.Rows.Count == 0 ? v with { Format = FileFormat.Parquet } : v)];
        string entityPath;
        await using (var connection = await DuckDbHistoricalRetrieval.OpenConnectionAsync())
        {
            entityPath = await WriteFilesAsync(connection, root, entities, views);
        }

        var request = new PointInTimeRequest
        {
            Entities = EntityTable.FromFile(entityPath),
            Views = [.. views.Select(v => ToPointInTimeView(v, FileName(v)))],
            RepositoryRoot = root,
            FullFeatureNames = fullNames,
            FilterByCreatedTimestamp = filterByCreated,
        };
        await using var rows = await engine.ReadAsync(request);
        return await ReadRowsAsync(rows.Reader, views, fullNames);
    }

    /// <summary>Writes the entity rows (Parquet) and each view's source file (its own format) under <paramref name="root"/>; returns the entity file.</summary>
    public static async Task<string> WriteFilesAsync(
        DuckDB.NET.Data.DuckDBConnection connection, string root, IReadOnlyList<PitEntityRow> entities, IReadOnlyList<PitView> views)
    {
        var entityPath = Path.Combine(root, "entities.parquet");
        if (entities.Count > 0)
        {
            await ExecuteAsync(connection, $"COPY ({EntitySelect(entities)}) TO {DuckDbSql.Literal(entityPath)} (FORMAT parquet)");
        }

        foreach (var view in views)
        {
            var options = view.Format == FileFormat.Csv ? "FORMAT csv, HEADER true" : "FORMAT parquet";
            await ExecuteAsync(connection, $"COPY ({SourceSelect(view)}) TO {DuckDbSql.Literal(Path.Combine(root, FileName(view)))} ({options})");
        }

        return entityPath;
    }

    /// <summary>Reads an engine's answer, checking its columns: the entity's, then one per view's feature.</summary>
    public static async Task<List<object?[]>> ReadRowsAsync(System.Data.Common.DbDataReader reader, IReadOnlyList<PitView> views, bool fullNames)
    {
        var rows = new List<object?[]>();
        var expectedColumns = new List<string> { "k", "k2", "event_timestamp", "label" };
        expectedColumns.AddRange(views.Select(v => fullNames ? $"{v.Name}__{v.Feature}" : v.Feature));
        Assert.Equal(expectedColumns, Enumerable.Range(0, reader.FieldCount).Select(reader.GetName));
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : i == 2 ? reader.GetDateTime(i) : Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The naive answer: for each entity row and view, scan every source row and keep the best one.</summary>
    public static List<object?[]> Expected(IReadOnlyList<PitEntityRow> entities, IReadOnlyList<PitView> views, bool filterByCreated)
    {
        var result = new List<object?[]>();
        foreach (var entity in entities)
        {
            var row = new List<object?> { entity.Key, entity.Key2, entity.Time, entity.Label };
            foreach (var view in views)
            {
                PitSourceRow? best = null;
                foreach (var candidate in view.Rows)
                {
                    var qualifies = candidate.Key == entity.Key
                        && (!view.Composite || candidate.Key2 == entity.Key2)
                        && candidate.Event <= entity.Time
                        && (view.Ttl == TimeSpan.Zero || candidate.Event >= entity.Time - view.Ttl)
                        && (!filterByCreated || !view.HasCreated || candidate.Created <= entity.Time);
                    if (qualifies && (best is null || candidate.Event > best.Event
                        || (candidate.Event == best.Event && candidate.Created > best.Created)))
                    {
                        best = candidate;
                    }
                }

                row.Add(best?.Value);
            }

            result.Add([.. row]);
        }

        return result;
    }

    public static PointInTimeView ToPointInTimeView(PitView view, string path)
    {
        var featureView = new FeatureView
        {
            Name = view.Name,
            Entities = view.Composite ? ["key", "key2"] : ["key"],
            Schema = [new Field(view.Feature, FeatureType.Int64)],
            Ttl = view.Ttl,
            Source = view.Name + "_source",
        };
        var source = new FileSource
        {
            Name = view.Name + "_source",
            Path = path,
            Format = view.Format,
            TimestampField = "ts",
            CreatedTimestampColumn = view.HasCreated ? "created" : null,
            FieldMapping = new Dictionary<string, string> { ["key"] = "k", ["val"] = view.Feature },
        };
        return new PointInTimeView(featureView, source, view.JoinKeys, [view.Feature]);
    }

    /// <summary>Writes <paramref name="view"/>'s rows to its file under <paramref name="root"/>; returns the view's file source.</summary>
    public static async Task<BatchSource> WriteSourceAsync(string root, PitView view)
    {
        await using var connection = await DuckDbHistoricalRetrieval.OpenConnectionAsync();
        await WriteFilesAsync(connection, root, [], [view]);
        return ToPointInTimeView(view, FileName(view)).Source;
    }

    private static string FileName(PitView view) => $"{view.Name}.{(view.Format == FileFormat.Csv ? "csv" : "parquet")}";

    private static string EntitySelect(IReadOnlyList<PitEntityRow> rows)
    {
        // A naive TIMESTAMP on purpose: the engine must read it as UTC.
        var values = rows.Select(r => $"({r.Key}::BIGINT, {r.Key2}::BIGINT, {Timestamp(r.Time, "TIMESTAMP")}, {r.Label}::BIGINT)");
        return $"SELECT * FROM (VALUES {string.Join(", ", values)}) t(k, k2, event_timestamp, label)";
    }

    private static string SourceSelect(PitView view)
    {
        var columns = view.HasCreated ? "key, k2, ts, created, val" : "key, k2, ts, val";
        var values = view.Rows.Select(r => new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"({r.Key}::BIGINT, {r.Key2}::BIGINT, {Timestamp(r.Event, "TIMESTAMPTZ")}, ")
            .Append(view.HasCreated ? Timestamp(r.Created!.Value, "TIMESTAMPTZ") + ", " : "")
            .Append(r.Value is { } v ? $"{v}::BIGINT)" : "NULL::BIGINT)")
            .ToString()).ToList();
        if (values.Count == 0)
        {
            // Keep the file's columns and types when there is no row.
            values.Add(view.HasCreated
                ? "(0::BIGINT, 0::BIGINT, TIMESTAMPTZ '2000-01-01 00:00:00+00', TIMESTAMPTZ '2000-01-01 00:00:00+00', 0::BIGINT)"
                : "(0::BIGINT, 0::BIGINT, TIMESTAMPTZ '2000-01-01 00:00:00+00', 0::BIGINT)");
            return $"SELECT * FROM (VALUES {values[0]}) t({columns}) WHERE false";
        }

        return $"SELECT * FROM (VALUES {string.Join(", ", values)}) t({columns})";
    }

    private static string Timestamp(DateTime value, string type) =>
        $"{type} '{value.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)}{(type == "TIMESTAMPTZ" ? "+00" : "")}'";

    private static async Task ExecuteAsync(DuckDB.NET.Data.DuckDBConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
