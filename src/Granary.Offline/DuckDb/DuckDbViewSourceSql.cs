using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Offline.Retrieval;

namespace Granary.Offline.DuckDb;

/// <summary>
/// The source rows of one view as the point-in-time join sees them: keys, event and created time (TIMESTAMPTZ) and
/// features under fixed aliases, so source names never clash with entity columns or need quoting downstream.
/// </summary>
internal sealed class DuckDbViewSourceSql
{
    public const string EventColumn = "__event_ts";
    public const string CreatedColumn = "__created_ts";

    private readonly PointInTimeView _view;
    private readonly string _readFunction;

    public DuckDbViewSourceSql(PointInTimeView view, string repositoryRoot)
    {
        _view = view;
        var file = view.Source as FileSource
            ?? throw new GranaryException(
                ErrorCodes.InvalidArgument,
                $"Feature view '{view.View.Name}' reads {view.Source.SourceType} source '{view.Source.Name}', which the DuckDB offline engine cannot read; use offline_store: {{type: postgres}} for PostgreSQL sources.");
        _readFunction = DuckDbSql.SourceReadFunction(file, repositoryRoot);
    }

    public bool HasCreated => !string.IsNullOrEmpty(_view.Source.CreatedTimestampColumn);

    public static string KeyAlias(int index) => $"__k{index}";

    public static string FeatureAlias(int index) => $"__f{index}";

    /// <summary>
    /// A CTE named <paramref name="name"/>. With <paramref name="dedup"/>, only the row with the greatest created
    /// time survives per (keys, event time), which settles ties before an ASOF join sees them.
    /// </summary>
    public string SourceCte(string name, bool dedup)
    {
        var source = _view.Source;
        var columns = new List<string>();
        for (var k = 0; k < _view.JoinKeys.Count; k++)
        {
            columns.Add($"{Column(_view.JoinKeys[k])} AS {KeyAlias(k)}");
        }

        columns.Add($"CAST({Column(source.TimestampField)} AS TIMESTAMPTZ) AS {EventColumn}");
        columns.Add(HasCreated
            ? $"CAST({Column(source.CreatedTimestampColumn!)} AS TIMESTAMPTZ) AS {CreatedColumn}"
            : $"CAST(NULL AS TIMESTAMPTZ) AS {CreatedColumn}");
        for (var f = 0; f < _view.Features.Count; f++)
        {
            columns.Add($"{Column(_view.Features[f])} AS {FeatureAlias(f)}");
        }

        var qualify = "";
        if (dedup && HasCreated)
        {
            var partition = string.Join(", ", Enumerable.Range(0, _view.JoinKeys.Count).Select(KeyAlias).Append(EventColumn));
            qualify = $" QUALIFY row_number() OVER (PARTITION BY {partition} ORDER BY {CreatedColumn} DESC NULLS LAST) = 1";
        }

        return $"""
            {name} AS (
                SELECT * FROM (
                    SELECT {string.Join(", ", columns)}
                    FROM {_readFunction}
                    WHERE {Column(source.TimestampField)} IS NOT NULL
                ){qualify}
            )
            """;
    }

    // Definitions use logical names; the file may spell them differently (FieldMapping).
    private string Column(string logicalName) => DuckDbSql.Quote(_view.Source.SourceColumnFor(logicalName));
}
