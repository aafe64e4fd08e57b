using System.Collections.Concurrent;
using System.Globalization;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;

namespace Granary.Offline.DuckDb;

/// <summary>
/// Logs pushed rows (and stream events) to a file source without rewriting it: into <c>&lt;file&gt;.pushed/</c> for a
/// single-file source, or <c>&lt;glob root&gt;.pushed/</c> beside the folder a glob source reads (outside it, so the glob
/// never reads a log file twice). Values are cast to the source's column types by DuckDB. Appends to one folder are
/// written in batches, and the folder is compacted when its parts pass a threshold, so the number of files stays
/// bounded however many pushes arrive (<see cref="DuckDbPushLogFolder"/>, <see cref="DuckDbPushLogFiles"/>).
/// </summary>
internal sealed class DuckDbPushLog : IDisposable
{
    /// <summary>How many parts a folder may hold before the flush that adds one more compacts it.</summary>
    public const int DefaultCompactAfterParts = 32;

    private readonly ConcurrentDictionary<string, DuckDbPushLogFolder> _folders = new(StringComparer.Ordinal);
    private readonly int _compactAfterParts;
    private readonly TimeProvider _time;

    public DuckDbPushLog(int compactAfterParts = DefaultCompactAfterParts, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(compactAfterParts, 1);
        _compactAfterParts = compactAfterParts;
        _time = time ?? TimeProvider.System;
    }

    public void Dispose()
    {
        foreach (var folder in _folders.Values)
        {
            folder.Dispose();
        }
    }

    /// <summary>Appends the rows; when it returns, they are in a file every later read lists. All land or none do.</summary>
    public async Task AppendAsync(FileSource source, string repositoryRoot, IReadOnlyDictionary<string, IReadOnlyList<object?>> columns, int rows, CancellationToken cancellationToken)
    {
        var schema = await new DuckDbSourceSchemaInspector().InspectAsync(source, repositoryRoot, cancellationToken)
            ?? throw new GranaryException(ErrorCodes.SourceUnavailable, $"Source '{source.Name}' cannot be read to append pushed rows.");

        // Pushed values arrive as JSON scalars; text is the one form every column type casts from exactly. A value that
        // has none fails here, before anything is queued.
        var values = new string?[schema.Columns.Count][];
        for (var c = 0; c < values.Length; c++)
        {
            var logical = LogicalName(source, schema.Columns[c].Name);
            values[c] = new string?[rows];
            if (columns.TryGetValue(logical, out var given))
            {
                for (var r = 0; r < rows; r++)
                {
                    values[c][r] = Text(given[r], logical, r);
                }
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        await Folder(source, repositoryRoot).AppendAsync(new PushBatch(source.Name, schema, values, rows));
    }

    /// <summary>Compacts the source's push log now; returns how many files were merged (0: nothing to merge).</summary>
    public Task<int> CompactAsync(FileSource source, string repositoryRoot, CancellationToken cancellationToken) =>
        Folder(source, repositoryRoot).CompactAsync(cancellationToken);

    private DuckDbPushLogFolder Folder(FileSource source, string repositoryRoot)
    {
        var folder = DuckDbSql.PushedFolder(DuckDbSql.ResolvePath(source, repositoryRoot));
        return _folders.GetOrAdd(folder + "|" + source.Format, _ => new DuckDbPushLogFolder(folder, source.Format, _compactAfterParts, _time));
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

/// <summary>One append: the source's columns (as inspected) and each column's values as text, column-major.</summary>
internal sealed record PushBatch(string SourceName, Core.Sources.SourceSchema Schema, string?[][] Values, int Rows);
