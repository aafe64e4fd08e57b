namespace Granary.Sources;

/// <summary>The columns of a source as its engine reports them.</summary>
public sealed record SourceSchema(IReadOnlyList<SourceColumn> Columns)
{
    public bool Contains(string column)
    {
        foreach (var c in Columns)
        {
            if (string.Equals(c.Name, column, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>One column: its name and the engine's name for its type (for example <c>BIGINT</c>, <c>TIMESTAMP WITH TIME ZONE</c>).</summary>
public sealed record SourceColumn(string Name, string EngineType);
