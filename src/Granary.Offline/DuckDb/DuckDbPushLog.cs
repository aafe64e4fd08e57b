using System.Globalization;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Offline.Retrieval;

namespace Granary.Offline.DuckDb;

/// <summary>
/// Appends pushed rows to a file source as a new file (never rewriting the source): into <c>&lt;file&gt;.pushed/</c>
/// for a single-file source, or into the glob's own folder for a glob source. Values are cast to the source's column
/// types by DuckDB; the file appears atomically (written under a temporary name, then renamed).
/// </summary>
internal static class DuckDbPushLog
{
    public static async Task AppendAsync(FileSource source, string repositoryRoot, IReadOnlyDictionary<string, IReadOnlyList<object?>> columns, int rows, CancellationToken cancellationToken)
    {
        var schema = await new DuckDbSourceSchemaInspector().InspectAsync(source, repositoryRoot, cancellationToken)
            ?? throw new GranaryException(ErrorCodes.SourceUnavailable, $"Source '{source.Name}' cannot be read to append pushed rows.");
        var path = DuckDbSql.ResolvePath(source, repositoryRoot);
        var folder = DuckDbSql.PushedFolder(path) ?? Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        var name = $"pushed-{DateTime.UtcNow:yyyyMMddHHmmssfffffff}-{Guid.NewGuid():N}{DuckDbSql.Extension(source.Format)}";
        var target = Path.Combine(folder, name);
        var temporary = Path.Combine(folder, "." + name + ".tmp");

        await using var connection = await DuckDbConnections.OpenInMemoryAsync(cancellationToken);
        var quoted = schema.Columns.Select(c => DuckDbSql.Quote(c.Name)).ToList();
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = $"CREATE TABLE pushed ({string.Join(", ", quoted.Select(q => q + " VARCHAR"))})";
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        // Pushed values arrive as JSON scalars; text is the one form every column type casts from exactly.
        var logical = schema.Columns.Select(c => LogicalName(source, c.Name)).ToList();
        using (var appender = connection.CreateAppender("pushed"))
        {
            for (var r = 0; r < rows; r++)
            {
                var row = appender.CreateRow();
                foreach (var name2 in logical)
                {
                    row.AppendValue(columns.TryGetValue(name2, out var values) ? Text(values[r], name2, r) : null);
                }

                row.EndRow();
            }
        }

        var select = string.Join(", ", schema.Columns.Select((c, i) => $"CAST({quoted[i]} AS {c.EngineType}) AS {quoted[i]}"));
        var options = source.Format == FileFormat.Csv ? "FORMAT csv, HEADER true" : "FORMAT parquet";
        try
        {
            await using var copy = connection.CreateCommand();
            copy.CommandText = $"COPY (SELECT {select} FROM pushed) TO {DuckDbSql.Literal(temporary)} ({options})";
            await copy.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception e) when (e is System.Data.Common.DbException)
        {
            File.Delete(temporary);
            throw new GranaryException(ErrorCodes.InvalidArgument, $"Pushed rows do not fit the columns of source '{source.Name}': {e.Message}", e);
        }

        File.Move(temporary, target);
    }

    private static string LogicalName(FileSource source, string column) =>
        source.FieldMapping.TryGetValue(column, out var mapped) ? mapped : column;

    private static string? Text(object? value, string column, int row) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        DateTimeOffset d => d.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00",
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => throw new GranaryException(ErrorCodes.InvalidArgument, $"df.{column}[{row}]: a {value.GetType().Name} cannot be logged to a file source."),
    };
}
