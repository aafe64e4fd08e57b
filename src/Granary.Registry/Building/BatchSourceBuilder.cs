using Granary.Core.Model;

namespace Granary.Registry.Building;

/// <summary>Configures a file or PostgreSQL source: its timestamp columns and column renames.</summary>
public sealed class BatchSourceBuilder : MetadataBuilder<BatchSourceBuilder>
{
    private readonly Dictionary<string, string> _fieldMapping = new(StringComparer.Ordinal);

    internal string TimestampFieldName { get; private set; } = "event_timestamp";

    internal string? CreatedColumnName { get; private set; }

    internal IReadOnlyDictionary<string, string> FieldMapping => _fieldMapping;

    /// <summary>The event-time column (default <c>event_timestamp</c>).</summary>
    public BatchSourceBuilder TimestampField(string column)
    {
        TimestampFieldName = column;
        return this;
    }

    /// <summary>The write-time column that breaks ties between rows with equal event times.</summary>
    public BatchSourceBuilder CreatedTimestampColumn(string column)
    {
        CreatedColumnName = column;
        return this;
    }

    /// <summary>Reads source column <paramref name="sourceColumn"/> as <paramref name="name"/>.</summary>
    public BatchSourceBuilder MapField(string sourceColumn, string name)
    {
        _fieldMapping[sourceColumn] = name;
        return this;
    }

    /// <summary>Sets what this builder configured on <paramref name="source"/>, whatever its kind.</summary>
    internal T Apply<T>(T source)
        where T : BatchSource => (T)(source with
        {
            Description = DescriptionText,
            Owner = OwnerText,
            Tags = TagMap,
            TimestampField = TimestampFieldName,
            CreatedTimestampColumn = CreatedColumnName,
            FieldMapping = FieldMapping,
        });
}
