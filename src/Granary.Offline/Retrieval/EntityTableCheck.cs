using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Sources;

namespace Granary.Offline.Retrieval;

/// <summary>
/// Checks an entity table against a retrieval before the engine runs it, so that a mistake in the table is reported
/// in terms of the table (its column, a row, what to change) rather than as the engine's error about a statement the
/// user never wrote: a missing <c>event_timestamp</c> or join key, times or keys of a type that cannot be joined,
/// and columns that clash with the requested features or with Granary's reserved names. Engine-neutral: each engine
/// describes the table's columns, and may offer a probe that finds the first value of a text column that does not
/// convert.
/// </summary>
internal sealed class EntityTableCheck(PointInTimeRequest request, IReadOnlyList<SourceColumn> columns)
{
    /// <summary>The prefix of every internal name in Granary's SQL.</summary>
    public const string ReservedPrefix = "__granary_";

    /// <summary>Finds the first non-null value of a text column that does not convert to a kind; null when all do.</summary>
    public delegate Task<BadValue?> Probe(string column, ColumnKind convertTo, CancellationToken cancellationToken);

    /// <summary>A value that does not convert: its 1-based row in the table and its text.</summary>
    public readonly record struct BadValue(long Row, string Text);

    private string Table => $"The entity table ({request.Entities.Description})";

    /// <summary>Runs every check; throws <see cref="GranaryException"/> (<see cref="ErrorCodes.InvalidArgument"/>) at the first mistake.</summary>
    public async Task CheckAsync(ISourceSchemaInspector sources, Probe? probe, CancellationToken cancellationToken)
    {
        foreach (var column in columns)
        {
            if (column.Name.StartsWith(ReservedPrefix, StringComparison.Ordinal))
            {
                throw Invalid($"{Table} has a column '{column.Name}'; names starting with '{ReservedPrefix}' are reserved for Granary. Rename the column.");
            }
        }

        var schema = new SourceSchema(columns);
        if (schema.Find(EntityTable.TimestampColumn) is not { } timestamp)
        {
            throw Invalid($"{Table} has no '{EntityTable.TimestampColumn}' column (it has {Names()}). Add each row's point in time there: a timestamp, or ISO-8601 text such as 2026-11-01T00:00:00Z.");
        }

        CheckFeatureNames(schema);
        await CheckTimestampsAsync(timestamp, probe, cancellationToken);
        foreach (var view in request.Views)
        {
            await CheckKeysAsync(view, schema, sources, probe, cancellationToken);
        }
    }

    private void CheckFeatureNames(SourceSchema schema)
    {
        var names = FeatureColumnNames.Of(request);
        var n = 0;
        foreach (var view in request.Views)
        {
            foreach (var feature in view.Features)
            {
                var name = names[n++];
                if (schema.Contains(name))
                {
                    var fix = request.FullFeatureNames
                        ? "Rename the column."
                        : $"Rename the column, or request full feature names (--full-feature-names) to name the feature column '{view.View.Name}__{feature}'.";
                    throw Invalid($"{Table} has a column '{name}', the name of requested feature '{view.View.Name}:{feature}' in the result. {fix}");
                }
            }
        }
    }

    private async Task CheckTimestampsAsync(SourceColumn timestamp, Probe? probe, CancellationToken cancellationToken)
    {
        var type = ColumnType.Parse(timestamp.EngineType);
        switch (type.Kind)
        {
            case ColumnKind.String when !type.IsList:
                if (probe is not null && await probe(timestamp.Name, ColumnKind.Timestamp, cancellationToken) is { } bad)
                {
                    throw Invalid($"Row {bad.Row} of {Lower(Table)} has {timestamp.Name} '{bad.Text}', which is not a point in time. Write times as ISO-8601, such as 2026-11-01T00:00:00Z or 2026-11-01 00:00:00+00.");
                }

                break;
            case ColumnKind.Timestamp or ColumnKind.Date or ColumnKind.Null or ColumnKind.Unrecognized when !type.IsList:
                break;
            default:
                throw Invalid($"Column '{timestamp.Name}' of {Lower(Table)} holds {DtypeCompatibility.Describe(type)} ({type.EngineType}), not points in time. Give each row's time as a timestamp, or ISO-8601 text such as 2026-11-01T00:00:00Z.");
        }
    }

    private async Task CheckKeysAsync(PointInTimeView view, SourceSchema schema, ISourceSchemaInspector sources, Probe? probe, CancellationToken cancellationToken)
    {
        SourceSchema? sourceSchema = null;
        foreach (var key in view.JoinKeys)
        {
            if (schema.Find(key) is not { } column)
            {
                throw Invalid($"{Table} has no column '{key}', the join key of feature view '{view.View.Name}' (it has {Names()}). Add the column, or rename the one that holds these keys to '{key}'.");
            }

            try
            {
                sourceSchema ??= await sources.InspectAsync(view.Source, request.RepositoryRoot, cancellationToken);
            }
            catch (GranaryException)
            {
                // An unreadable source is the retrieval's own error to report, in the source's terms.
                return;
            }

            var sourceColumn = view.Source.SourceColumnFor(key);
            if (sourceSchema?.Find(sourceColumn) is not { } keyColumn)
            {
                continue;
            }

            var entityType = ColumnType.Parse(column.EngineType);
            var sourceType = ColumnType.Parse(keyColumn.EngineType);
            var (entityFamily, sourceFamily) = (Family(entityType), Family(sourceType));
            if (entityFamily is null || sourceFamily is null || entityFamily == sourceFamily)
            {
                continue;
            }

            var matched = $"feature view '{view.View.Name}' matches it against column '{sourceColumn}' of source '{view.Source.Name}', which holds {DtypeCompatibility.Describe(sourceType)} ({sourceType.EngineType})";
            if (entityFamily == "text" && sourceFamily == "number" && probe is not null
                && await probe(key, sourceType.Kind is ColumnKind.Float32 or ColumnKind.Float64 or ColumnKind.Decimal ? ColumnKind.Float64 : ColumnKind.Int64, cancellationToken) is { } bad)
            {
                throw Invalid($"Row {bad.Row} of {Lower(Table)} has {key} '{bad.Text}', which is not a number, but {matched}. Fix the key, or leave the row out.");
            }

            throw Invalid($"Column '{key}' of {Lower(Table)} holds {DtypeCompatibility.Describe(entityType)} ({entityType.EngineType}), but {matched}. Give '{key}' the source's type in the entity table (--entities-sql can CAST it).");
        }
    }

    // Types that compare with each other in both engines; null when nothing is concluded.
    private static string? Family(ColumnType type) => type.IsList ? "list" : type.Kind switch
    {
        ColumnKind.Int16 or ColumnKind.Int32 or ColumnKind.UInt32 or ColumnKind.Int64 or ColumnKind.WiderThanInt64
            or ColumnKind.Float32 or ColumnKind.Float64 or ColumnKind.Decimal => "number",
        ColumnKind.String => "text",
        ColumnKind.Bool => "bool",
        ColumnKind.Bytes => "bytes",
        ColumnKind.Date or ColumnKind.Timestamp => "time",
        _ => null,
    };

    private string Names() => string.Join(", ", columns.Select(c => c.Name));

    private static string Lower(string sentenceStart) => char.ToLowerInvariant(sentenceStart[0]) + sentenceStart[1..];

    private static GranaryException Invalid(string message) => new(ErrorCodes.InvalidArgument, message);
}
