using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;

namespace Granary.Offline.Retrieval;

/// <summary>
/// The rows a historical retrieval answers for: join-key columns, an <c>event_timestamp</c> column and any other
/// columns (labels), which pass through unchanged. Engine-neutral: each engine reads it its own way.
/// </summary>
public sealed class EntityTable
{
    /// <summary>The column holding each entity row's point in time.</summary>
    public const string TimestampColumn = "event_timestamp";

    private EntityTable(EntityTableKind kind, string text, FileFormat format, string description)
    {
        Kind = kind;
        Text = text;
        Format = format;
        Description = description;
    }

    /// <summary>Where the rows come from.</summary>
    public EntityTableKind Kind { get; }

    /// <summary>The relation name, the absolute file path, or the SQL query, by <see cref="Kind"/>.</summary>
    public string Text { get; }

    /// <summary>The file format, for <see cref="EntityTableKind.File"/>.</summary>
    public FileFormat Format { get; }

    /// <summary>What the rows are, for messages.</summary>
    public string Description { get; }

    /// <summary>A table or view that already exists in the offline engine.</summary>
    public static EntityTable FromRelation(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new EntityTable(EntityTableKind.Relation, name, default, $"relation '{name}'");
    }

    /// <summary>A <c>SELECT</c> run by the offline engine (<c>--entities-sql</c>).</summary>
    public static EntityTable FromQuery(string sql)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        return new EntityTable(EntityTableKind.Query, sql.Trim().TrimEnd(';'), default, "the entity query");
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
        return new EntityTable(EntityTableKind.File, fullPath, resolvedFormat, $"file '{fullPath}'");
    }

    public override string ToString() => Description;
}

/// <summary>Where an <see cref="EntityTable"/>'s rows come from.</summary>
public enum EntityTableKind
{
    Relation,
    Query,
    File,
}
