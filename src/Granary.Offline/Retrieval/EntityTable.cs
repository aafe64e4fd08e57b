using Granary.Errors;
using Granary.Model;
using Granary.Offline.DuckDb;

namespace Granary.Offline.Retrieval;

/// <summary>
/// The rows a historical retrieval answers for: join-key columns, an <c>event_timestamp</c> column and any other
/// columns (labels), which pass through unchanged.
/// </summary>
public sealed class EntityTable
{
    private EntityTable(string relationSql, string description)
    {
        RelationSql = relationSql;
        Description = description;
    }

    /// <summary>The SQL that follows <c>FROM</c> to read the rows.</summary>
    internal string RelationSql { get; }

    /// <summary>What the rows are, for messages.</summary>
    public string Description { get; }

    /// <summary>A table or view that already exists on the connection the retrieval runs on.</summary>
    public static EntityTable FromRelation(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new EntityTable(PointInTimeQuery.Quote(name), $"relation '{name}'");
    }

    /// <summary>A Parquet or CSV file (or glob), format chosen by its extension unless given.</summary>
    public static EntityTable FromFile(string path, FileFormat? format = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var resolvedFormat = format ?? FileSource.FormatOf(path)
            ?? throw new GranaryException(
                ErrorCodes.InvalidArgument,
                $"Entity table '{path}' has neither a .parquet nor a .csv extension; pass its format explicitly.");
        var fullPath = Path.GetFullPath(path);
        return new EntityTable(DuckDbSql.ReadFunction(resolvedFormat, fullPath), $"file '{fullPath}'");
    }

    public override string ToString() => Description;
}
