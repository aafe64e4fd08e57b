using Granary.Core.Model;

namespace Granary.Core.Sources;

/// <summary>
/// The rows of a derived feature view, as the engines read them: its query with each <c>{{ name }}</c> resolved to
/// what it reads. Built by <see cref="BatchSources.OfView"/>, never stored: a derived view names no source.
/// </summary>
internal sealed record QuerySource : BatchSource
{
    /// <summary>The view's query.</summary>
    public required DerivedQuery Query { get; init; }

    /// <summary>What each referenced name reads, by name.</summary>
    public required IReadOnlyDictionary<string, QueryInput> Inputs { get; init; }

    public override string SourceType => "query";

    /// <summary>
    /// The query as a parenthesised subquery, for use after <c>FROM</c>. Each referenced name becomes a common table
    /// expression of that name, and <c>{{ name }}</c> the name itself: a source is all of its rows, a feature view its
    /// join keys, <c>event_timestamp</c> and features (through its field mapping), so a query reads every view alike
    /// whatever its source calls the columns. A name rather than an inlined subquery, because PostgreSQL before 16
    /// refuses a subquery in <c>FROM</c> without an alias, and because <c>FROM {{ purchases }} p</c> and
    /// <c>purchases.amount</c> then read as SQL always does. <paramref name="read"/> gives the relation that reads a
    /// batch source in the engine's dialect (a derived input comes back as its own expanded query).
    /// </summary>
    public string Sql(bool postgres, Func<BatchSource, string> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var text = (postgres && Query.QueryPostgres is { } own ? own : Query.Query).Trim().TrimEnd(';');
        var names = DerivedQuery.ReferencesIn(text);
        if (names.Count == 0)
        {
            return $"({text})";
        }

        var tables = new List<string>(names.Count);
        foreach (var name in names)
        {
            tables.Add($"{QueryInput.Quote(name)} AS {Inputs[name].Relation(read)}");
        }

        var body = DerivedQuery.Expand(text, QueryInput.Quote);
        return $"({DerivedQuery.WithCommonTables(body, string.Join(",\n", tables))})";
    }
}

/// <summary>One name a derived view's query refers to: a batch source, or a feature view with its source.</summary>
/// <param name="Source">The batch source the rows come from.</param>
/// <param name="View">The feature view, when the name is one; null for a source.</param>
/// <param name="JoinKeys">The view's join keys (empty for a source).</param>
internal sealed record QueryInput(BatchSource Source, FeatureView? View, IReadOnlyList<string> JoinKeys)
{
    public string Relation(Func<BatchSource, string> read)
    {
        var relation = read(Source);
        if (View is null)
        {
            return $"(SELECT * FROM {relation} AS __input)";
        }

        var columns = new List<string>();
        foreach (var key in JoinKeys)
        {
            columns.Add($"{Column(key)} AS {Quote(key)}");
        }

        var time = Column(Source.TimestampField);
        columns.Add($"{time} AS {Quote(DerivedQuery.EventTimestampColumn)}");
        var keys = new HashSet<string>(JoinKeys, StringComparer.Ordinal);
        foreach (var field in View.FeaturesExcluding(keys))
        {
            columns.Add($"{Column(field.Name)} AS {Quote(field.Name)}");
        }

        return $"(SELECT {string.Join(", ", columns)} FROM {relation} AS __input WHERE {time} IS NOT NULL)";
    }

    private string Column(string logical) => Quote(Source.SourceColumnFor(logical));

    // DuckDB and PostgreSQL quote identifiers alike.
    internal static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
