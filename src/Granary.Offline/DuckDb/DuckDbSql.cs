using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Sources;

namespace Granary.Offline.DuckDb;

/// <summary>SQL text shared by everything that reads sources through DuckDB.</summary>
internal static class DuckDbSql
{
    /// <summary>A string literal: single quotes doubled, so a path such as <c>o'brien/x.parquet</c> stays one literal.</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>A double-quoted identifier, inner quotes doubled.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>
    /// The absolute path of a file source: as written when absolute, otherwise relative to the repository root.
    /// Glob characters pass through untouched; DuckDB expands them.
    /// </summary>
    public static string ResolvePath(FileSource source, string repositoryRoot)
    {
        var path = Path.IsPathRooted(source.Path) ? source.Path : Path.Combine(repositoryRoot, source.Path);
        return Path.GetFullPath(path);
    }

    /// <summary>The table function that reads <paramref name="resolvedPath"/>, for use after <c>FROM</c>.</summary>
    public static string ReadFunction(FileFormat format, string resolvedPath) => format switch
    {
        FileFormat.Parquet => $"read_parquet({Literal(resolvedPath)})",

        // Types are detected from the data; a header row is part of the repository format for CSV sources.
        FileFormat.Csv => $"read_csv({Literal(resolvedPath)}, header = true)",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown file format."),
    };

    /// <summary>
    /// The table function that reads a file source together with the rows pushed to it (see <see cref="PushedFolder"/>
    /// and <see cref="DuckDbPushLogFiles"/>): the source and the log's live files, listed one by one and read with
    /// <c>union_by_name</c>, so logged files may order columns differently. Without pushed rows it is exactly
    /// <see cref="ReadFunction"/>.
    /// </summary>
    /// <summary>
    /// What follows <c>FROM</c> to read <paramref name="source"/>: a file source's table function (see
    /// <see cref="SourceReadFunction"/>), or a derived view's query as a subquery with every input it reads expanded
    /// the same way. Null for a source DuckDB cannot read (PostgreSQL).
    /// </summary>
    public static string? SourceRelation(BatchSource source, string repositoryRoot) => source switch
    {
        FileSource file => SourceReadFunction(file, repositoryRoot),
        QuerySource query => query.Sql(postgres: false, input => SourceRelation(input, repositoryRoot)
            ?? throw new GranaryException(
                ErrorCodes.InvalidArgument,
                $"Derived feature view '{query.Name}' reads {input.SourceType} source '{input.Name}', which the DuckDB offline engine cannot read.")),
        _ => null,
    };

    public static string SourceReadFunction(FileSource source, string repositoryRoot)
    {
        var path = ResolvePath(source, repositoryRoot);
        var live = DuckDbPushLogFiles.List(PushedFolder(path), source.Format).Live;
        if (live.Count == 0)
        {
            return ReadFunction(source.Format, path);
        }

        var files = $"[{Literal(path)}, {string.Join(", ", live.Select(Literal))}]";
        return source.Format == FileFormat.Parquet
            ? $"read_parquet({files}, union_by_name = true)"
            : $"read_csv({files}, header = true, union_by_name = true)";
    }

    /// <summary>
    /// Where rows pushed to a file source are logged: a folder beside it, read with it (append-only: the source's own
    /// files are never rewritten). For a single file, <c>&lt;file&gt;.pushed/</c>; for a glob, <c>&lt;root&gt;.pushed/</c>
    /// beside the glob's root (the folder above its first wildcard), outside every folder the glob can match, so no
    /// logged file is read twice. (Rows logged to a glob source before this layout lie in the glob's folder, where the
    /// glob still reads them.)
    /// </summary>
    public static string PushedFolder(string resolvedPath)
    {
        if (!IsGlob(resolvedPath))
        {
            return resolvedPath + ".pushed";
        }

        var beforeWildcard = resolvedPath[..resolvedPath.AsSpan().IndexOfAny("*?[")];
        var root = Path.GetDirectoryName(beforeWildcard + "x") ?? beforeWildcard;
        return Path.TrimEndingDirectorySeparator(root) + ".pushed";
    }

    public static string Extension(FileFormat format) => format == FileFormat.Csv ? ".csv" : ".parquet";

    /// <summary>Whether DuckDB would treat <paramref name="path"/> as a pattern rather than one file.</summary>
    public static bool IsGlob(string path) => path.AsSpan().IndexOfAny("*?[") >= 0;
}
