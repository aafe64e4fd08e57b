using Granary.Core.Model;

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
    /// The table function that reads a file source together with the rows pushed to it (see
    /// <see cref="PushedFolder"/>): a list of files read with <c>union_by_name</c>, so pushed files may order columns
    /// differently. Without pushed rows it is exactly <see cref="ReadFunction"/>.
    /// </summary>
    public static string SourceReadFunction(FileSource source, string repositoryRoot)
    {
        var path = ResolvePath(source, repositoryRoot);
        var pushed = PushedFolder(path);
        if (pushed is null || !Directory.Exists(pushed) || !Directory.EnumerateFiles(pushed).Any())
        {
            return ReadFunction(source.Format, path);
        }

        var files = $"[{Literal(path)}, {Literal(Path.Combine(pushed, "*" + Extension(source.Format)))}]";
        return source.Format == FileFormat.Parquet
            ? $"read_parquet({files}, union_by_name = true)"
            : $"read_csv({files}, header = true, union_by_name = true)";
    }

    /// <summary>
    /// Where rows pushed to a single-file source are logged: a folder beside it, <c>&lt;file&gt;.pushed/</c>, read with the
    /// file (append-only: the source file itself is never rewritten). A glob source takes pushed files in its own
    /// folder instead (they match the glob), so this is null for it.
    /// </summary>
    public static string? PushedFolder(string resolvedPath) => IsGlob(resolvedPath) ? null : resolvedPath + ".pushed";

    public static string Extension(FileFormat format) => format == FileFormat.Csv ? ".csv" : ".parquet";

    /// <summary>Whether DuckDB would treat <paramref name="path"/> as a pattern rather than one file.</summary>
    public static bool IsGlob(string path) => path.AsSpan().IndexOfAny("*?[") >= 0;
}
