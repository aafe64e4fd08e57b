using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;

namespace Granary.Core.Sources;

/// <summary>The columns of a source as its engine reports them.</summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public sealed record SourceSchema(IReadOnlyList<SourceColumn> Columns)
{
    /// <summary>
    /// Whether the engine guessed the column types from the data (a CSV file) rather than reading declared ones
    /// (Parquet, a table): a guessed integer width says nothing about the values.
    /// </summary>
    public bool TypesInferred { get; init; }

    /// <summary>The column named <paramref name="column"/>, or null.</summary>
    public SourceColumn? Find(string column)
    {
        foreach (var c in Columns)
        {
            if (string.Equals(c.Name, column, StringComparison.Ordinal))
            {
                return c;
            }
        }

        return null;
    }

    public bool Contains(string column) => Find(column) is not null;
}

/// <summary>One column: its name and the engine's name for its type (for example <c>BIGINT</c>, <c>TIMESTAMP WITH TIME ZONE</c>).</summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public sealed record SourceColumn(string Name, string EngineType);
