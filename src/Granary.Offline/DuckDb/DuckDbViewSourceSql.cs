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

    /// <summary>The column, present with a created column and <c>asofOrder</c>, that an ASOF join orders candidates by.</summary>
    public const string AsOfOrderColumn = "__asof_order";

    private readonly PointInTimeView _view;
    private readonly string _readFunction;

    public DuckDbViewSourceSql(PointInTimeView view, string repositoryRoot)
    {
        _view = view;
        _readFunction = DuckDbSql.SourceRelation(view.Source, repositoryRoot)
            ?? throw new GranaryException(
                ErrorCodes.InvalidArgument,
                $"Feature view '{view.View.Name}' reads {view.Source.SourceType} source '{view.Source.Name}', which the DuckDB offline engine cannot read; use offline_store: {{type: postgres}} for PostgreSQL sources.");
    }

    /// <summary>The table function reading the source with its logged pushes, for use after <c>FROM</c>.</summary>
    public string ReadFunction => _readFunction;

    public bool HasCreated => !string.IsNullOrEmpty(_view.Source.CreatedTimestampColumn);

    public static string KeyAlias(int index) => $"__k{index}";

    public static string FeatureAlias(int index) => $"__f{index}";

    /// <summary>
    /// A CTE named <paramref name="name"/>. With <paramref name="asofOrder"/> and a created column, each row also
    /// carries <see cref="AsOfOrderColumn"/>, the key an ASOF join orders candidates by so that it settles ties on
    /// event time by created time itself (see <see cref="AsOfOrder"/>).
    /// </summary>
    public string SourceCte(string name, bool asofOrder)
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

        var order = asofOrder && HasCreated ? $", {AsOfOrder("true", EventColumn, $"{CreatedColumn} IS NOT NULL", CreatedColumn)} AS {AsOfOrderColumn}" : "";
        return $"""
            {name} AS (
                SELECT *{order} FROM (
                    SELECT {string.Join(", ", columns)}
                    FROM {_readFunction}
                    WHERE {Column(source.TimestampField)} IS NOT NULL
                )
            )
            """;
    }

    /// <summary>
    /// The ASOF ordering key: (has a time, event time, has a created time, created time), compared field by field.
    /// The greatest source key at or below an entity row's <c>(true, T, true, infinity)</c> is the latest row at or
    /// before T, ties on event time going to the greatest created time and a missing created time losing to any
    /// present one (as <c>ORDER BY created DESC NULLS LAST</c> ranks them). DuckDB ranks a null inside a struct, or a
    /// null struct, above every value, so no null ever decides a comparison: an entity row without a time gets
    /// <c>(false, ...)</c>, below every source row (which all have one), and the third field settles a missing created
    /// time before the fourth is compared.
    /// </summary>
    public static string AsOfOrder(string hasTime, string eventTime, string hasCreated, string createdTime) =>
        $"struct_pack(v := {hasTime}, e := {eventTime}, h := {hasCreated}, c := {createdTime})";

    // Definitions use logical names; the file may spell them differently (FieldMapping).
    private string Column(string logicalName) => DuckDbSql.Quote(_view.Source.SourceColumnFor(logicalName));
}
