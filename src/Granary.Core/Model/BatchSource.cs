namespace Granary.Core.Model;

/// <summary>A source the offline engine reads: rows with an event timestamp, entity key columns and feature columns.</summary>
public abstract record BatchSource : DataSource
{
    private static readonly IReadOnlyDictionary<string, string> NoMapping = new Dictionary<string, string>();

    /// <summary>The column holding each row's event time.</summary>
    public required string TimestampField { get; init; }

    /// <summary>The column holding when each row was written; breaks ties between rows with equal event times.</summary>
    public string? CreatedTimestampColumn { get; init; }

    /// <summary>Renames source columns (key) to the names definitions use (value).</summary>
    public IReadOnlyDictionary<string, string> FieldMapping { get; init; } = NoMapping;

    /// <summary>The source column that holds the logical column <paramref name="name"/>.</summary>
    public string SourceColumnFor(string name)
    {
        foreach (var (sourceColumn, mapped) in FieldMapping)
        {
            if (mapped == name)
            {
                return sourceColumn;
            }
        }

        return name;
    }
}
