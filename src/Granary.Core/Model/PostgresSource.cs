namespace Granary.Core.Model;

/// <summary>A PostgreSQL table or query; exactly one of <see cref="Table"/> and <see cref="Query"/> is set.</summary>
public sealed record PostgresSource : BatchSource
{
    public string? Table { get; init; }

    public string? Query { get; init; }

    public override string SourceType => "postgres";
}
