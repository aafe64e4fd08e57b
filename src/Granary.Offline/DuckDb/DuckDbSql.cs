using Granary.Model;

namespace Granary.Offline.DuckDb;

/// <summary>SQL text shared by everything that reads sources through DuckDB.</summary>
internal static class DuckDbSql
{
    /// <summary>A string literal: single quotes doubled, so a path such as <c>o'brien/x.parquet</c> stays one literal.</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

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

    /// <summary>Whether DuckDB would treat <paramref name="path"/> as a pattern rather than one file.</summary>
    public static bool IsGlob(string path) => path.AsSpan().IndexOfAny("*?[") >= 0;
}
