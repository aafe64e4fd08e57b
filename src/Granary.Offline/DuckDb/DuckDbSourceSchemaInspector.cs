using DuckDB.NET.Data;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Sources;

namespace Granary.Offline.DuckDb;

/// <summary>
/// Reads the columns of Parquet and CSV file sources through DuckDB. Only the files' metadata (and, for CSV,
/// the sample DuckDB uses to detect types) is read, so inspecting a large source is cheap.
/// Other kinds of source are left to the inspectors that can reach them.
/// </summary>
internal sealed class DuckDbSourceSchemaInspector : ISourceSchemaInspector
{
    /// <inheritdoc />
    public async Task<SourceSchema?> InspectAsync(BatchSource source, string repositoryRoot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(repositoryRoot);
        if (source is QuerySource query)
        {
            return await DuckDbQuerySchema.DescribeAsync(query, repositoryRoot, cancellationToken);
        }

        if (source is not FileSource file)
        {
            return null;
        }

        var path = DuckDbSql.ResolvePath(file, repositoryRoot);

        // A clear message for the common case; DuckDB's own wording differs between a file and a pattern.
        if (!DuckDbSql.IsGlob(path) && !File.Exists(path))
        {
            throw Unavailable(file, path, "the file does not exist", null);
        }

        List<SourceColumn> columns;
        try
        {
            columns = await DuckDbDescribe.ColumnsAsync(DuckDbSql.ReadFunction(file.Format, path), cancellationToken);
        }
        catch (DuckDBException e)
        {
            var reason = DuckDbSql.IsGlob(path) && e.Message.Contains("No files found", StringComparison.OrdinalIgnoreCase)
                ? "no file matches the pattern"
                : "DuckDB could not read it: " + DuckDbDescribe.FirstLine(e.Message);
            throw Unavailable(file, path, reason, e);
        }

        return new SourceSchema(columns) { TypesInferred = file.Format == FileFormat.Csv };
    }

    private static GranaryException Unavailable(FileSource source, string path, string reason, Exception? inner) =>
        new(
            ErrorCodes.SourceUnavailable,
            $"Source '{source.Name}' cannot be read at '{path}' ({source.Format.ToString().ToLowerInvariant()}): {reason}. " +
            "Check the source's 'path' (relative paths are resolved against the repository root).",
            inner);
}
