using System.Text.RegularExpressions;

namespace Granary.Core.Model;

/// <summary>
/// The SQL a derived feature view computes its rows with (<c>derived_feature_views:</c>). The query reads other
/// sources and feature views named as <c>{{ name }}</c>; its result has the view's join keys, an
/// <see cref="EventTimestampColumn"/> column and the schema's features.
/// </summary>
public sealed partial record DerivedQuery
{
    /// <summary>The column of the query's result that holds each row's event time.</summary>
    public const string EventTimestampColumn = "event_timestamp";

    /// <summary>The query in the dialect both engines share (DuckDB's, unless <see cref="QueryPostgres"/> is set).</summary>
    public required string Query { get; init; }

    /// <summary>The query the PostgreSQL engine runs instead of <see cref="Query"/>, where the dialects differ; null when they do not.</summary>
    public string? QueryPostgres { get; init; }

    /// <summary>The names <paramref name="sql"/> refers to as <c>{{ name }}</c>, each once, in order of first use.</summary>
    public static IReadOnlyList<string> ReferencesIn(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var names = new List<string>();
        foreach (Match match in ReferencePattern().Matches(sql))
        {
            var name = match.Groups[1].Value;
            if (!names.Contains(name))
            {
                names.Add(name);
            }
        }

        return names;
    }

    /// <summary>The names both queries refer to, each once.</summary>
    public IReadOnlyList<string> References()
    {
        var names = new List<string>(ReferencesIn(Query));
        if (QueryPostgres is { } postgres)
        {
            foreach (var name in ReferencesIn(postgres))
            {
                if (!names.Contains(name))
                {
                    names.Add(name);
                }
            }
        }

        return names;
    }

    /// <summary><paramref name="sql"/> with every <c>{{ name }}</c> replaced by what <paramref name="relation"/> gives for the name.</summary>
    public static string Expand(string sql, Func<string, string> relation)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(relation);
        return ReferencePattern().Replace(sql, m => relation(m.Groups[1].Value));
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex ReferencePattern();
}
