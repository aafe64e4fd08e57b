using System.Globalization;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Registry.Loading;
using Granary.Core.Sources;

namespace Granary.Registry.Validation;

/// <summary>
/// Checks definitions against the actual columns of their sources: timestamp columns, join keys and schema fields
/// must exist (after <c>field_mapping</c>), and each field's dtype (each join key's value_type) must hold its column's
/// values (<see cref="DtypeCompatibility"/>). Each source is inspected once. When the inspector is also an
/// <see cref="ISourceIndexAdvisor"/>, a large source table without an index on (join keys, event time) is a warning
/// that names the index to create.
/// </summary>
internal sealed class SourceColumnChecker(DefinitionSet definitions, DefinitionLocations locations, DiagnosticBag diagnostics)
{
    /// <summary>The code of the warning for a large source table without an index on (join keys, event time).</summary>
    public const string MissingIndexWarning = "missing_index";

    private readonly Dictionary<string, SourceSchema?> _schemas = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unreadable = new(StringComparer.Ordinal);

    /// <summary>The columns of batch source <paramref name="name"/>; null when it was not inspected or could not be.</summary>
    public SourceSchema? SchemaOf(string name) => _schemas.GetValueOrDefault(name);

    /// <summary>Whether inspecting batch source <paramref name="name"/> failed, a mistake already reported at the source.</summary>
    public bool Unreadable(string name) => _unreadable.Contains(name);

    public async Task CheckAsync(ISourceSchemaInspector inspector, string repositoryRoot, CancellationToken cancellationToken)
    {
        foreach (var source in definitions.Sources)
        {
            // A file source with an unreadable path was already reported by the parser; inspecting it would only repeat that.
            var unreadable = source is FileSource file && FileSource.FormatOf(file.Path) is null;
            if (source is BatchSource batch && !unreadable && !_schemas.ContainsKey(batch.Name))
            {
                _schemas[batch.Name] = await InspectAsync(inspector, batch, repositoryRoot, cancellationToken);
                if (_schemas[batch.Name] is { } schema)
                {
                    CheckTimestamps(batch, schema);
                }
            }
        }

        CheckStreamTimestamps();
        var indexed = new List<(FeatureView View, BatchSource Source, List<string> Keys)>();
        foreach (var view in definitions.FeatureViews)
        {
            if (ResolveBatchSource(view.Source) is not { } batch || _schemas.GetValueOrDefault(batch.Name) is not { } schema)
            {
                continue;
            }

            var keys = new List<string>();
            var joinKeys = new HashSet<string>(StringComparer.Ordinal);
            for (var e = 0; e < view.Entities.Count; e++)
            {
                if (definitions.FindEntity(view.Entities[e]) is not { } entity)
                {
                    continue;
                }

                foreach (var key in entity.JoinKeys)
                {
                    joinKeys.Add(key);
                    var column = batch.SourceColumnFor(key);
                    keys.Add(column);
                    if (schema.Find(column) is not { } found)
                    {
                        Report($"Source '{batch.Name}' has no column '{column}' for join key '{key}' of feature view '{view.Name}'; it has {Columns(schema)}. Rename the column or map it with field_mapping.", view, "entities");
                    }
                    else if (Mismatch(entity.ValueType, found, schema, $"value_type: {{0}} on entity '{entity.Name}'") is { } problem)
                    {
                        Report($"Join key '{key}' of entity '{entity.Name}' has value_type {entity.ValueType}, but column '{column}' of source '{batch.Name}' {problem}", view, $"entities[{e}]");
                    }
                }
            }

            if (keys.TrueForAll(schema.Contains) && schema.Contains(batch.SourceColumnFor(batch.TimestampField)))
            {
                indexed.Add((view, batch, keys));
            }

            // A stream view's schema is derived from its aggregations; StreamViewCompleter checks the columns they read.
            for (var i = 0; view.Stream is null && i < view.Schema.Count; i++)
            {
                var field = view.Schema[i];
                var column = batch.SourceColumnFor(field.Name);
                if (schema.Find(column) is not { } found)
                {
                    Report($"Feature view '{view.Name}' declares field '{field.Name}', but source '{batch.Name}' has no column '{column}'; it has {Columns(schema)}.", view, $"schema[{i}]");
                }
                else if (!joinKeys.Contains(field.Name) && Mismatch(field.Type, found, schema, "dtype: {0}") is { } problem)
                {
                    // A field named like a join key is typed by its entity, checked above.
                    Report($"Field '{field.Name}' of feature view '{view.Name}' is declared {field.Type}, but column '{column}' of source '{batch.Name}' {problem}", view, $"schema[{i}].dtype");
                }
            }
        }

        if (inspector is ISourceIndexAdvisor advisor)
        {
            await CheckIndexesAsync(advisor, indexed, cancellationToken);
        }
    }

    // One warning per source and set of keys (an index serves the keys in any order), however many views share them.
    private async Task CheckIndexesAsync(
        ISourceIndexAdvisor advisor, List<(FeatureView View, BatchSource Source, List<string> Keys)> views, CancellationToken cancellationToken)
    {
        var asked = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (view, source, keys) in views)
        {
            var timestamp = source.SourceColumnFor(source.TimestampField);
            var keySet = new List<string>(keys);
            keySet.Sort(StringComparer.Ordinal);
            if (!asked.Add(source.Name + "\0" + string.Join("\0", keySet)))
            {
                continue;
            }

            MissingIndex? missing;
            try
            {
                missing = await advisor.FindMissingIndexAsync(source, keys, timestamp, cancellationToken);
            }
            catch (GranaryException)
            {
                // Advice only: a source that cannot be looked at was already reported by the column checks.
                continue;
            }

            if (missing is not null)
            {
                var columns = string.Join(", ", [.. keys, timestamp]);
                diagnostics.AddWarning(
                    MissingIndexWarning,
                    $"Source '{source.Name}' of feature view '{view.Name}' is table {missing.Table} (about {missing.EstimatedRows:N0} rows) " +
                    $"with no index on ({columns}); point-in-time joins then read the whole table each time. Create one: {missing.CreateStatement}",
                    locations.Of(source, "table"));
            }
        }
    }

    private async Task<SourceSchema?> InspectAsync(ISourceSchemaInspector inspector, BatchSource source, string root, CancellationToken cancellationToken)
    {
        try
        {
            return await inspector.InspectAsync(source, root, cancellationToken);
        }
        catch (GranaryException e)
        {
            diagnostics.Add(e.Code, e.Message, locations.Of(source, source is FileSource ? "path" : ""));
            _unreadable.Add(source.Name);
            return null;
        }
    }

    // A stream source's events are logged to its batch source, so the column holding their event time must be one of its.
    private void CheckStreamTimestamps()
    {
        foreach (var source in definitions.Sources)
        {
            if (source is StreamSource { TimestampField: { } field } stream
                && definitions.FindSource(stream.BatchSourceName) is BatchSource batch
                && SchemaOf(batch.Name) is { } schema
                && !schema.Contains(batch.SourceColumnFor(field)))
            {
                Report($"The timestamp_field '{field}' of {stream.SourceType} source '{stream.Name}' is not a column of its batch_source '{batch.Name}'; it has {Columns(schema)}.", stream, "timestamp_field");
            }
        }
    }

    private void CheckTimestamps(BatchSource source, SourceSchema schema)
    {
        if (source.TimestampField.Length > 0 && !schema.Contains(source.SourceColumnFor(source.TimestampField)))
        {
            Report($"Source '{source.Name}' has no timestamp_field column '{source.TimestampField}'; it has {Columns(schema)}.", source, "timestamp_field");
        }

        if (source.CreatedTimestampColumn is { } created && !schema.Contains(source.SourceColumnFor(created)))
        {
            Report($"Source '{source.Name}' has no created_timestamp_column '{created}'; it has {Columns(schema)}.", source, "created_timestamp_column");
        }
    }

    // Null when the dtype holds the column's values; otherwise the rest of the message: what the column holds and the fix.
    internal static string? Mismatch(FeatureType dtype, SourceColumn column, SourceSchema schema, string declaration)
    {
        var type = ColumnType.Parse(column.EngineType);
        if (DtypeCompatibility.CanHold(dtype, type, schema.TypesInferred))
        {
            return null;
        }

        var fix = DtypeCompatibility.Natural(type) is { } natural
            ? $"Use {string.Format(CultureInfo.InvariantCulture, declaration, natural)}, or convert the column in the source."
            : "No dtype holds it: convert the column in the source (a postgres query source can CAST it).";
        return $"is {type.EngineType} ({DtypeCompatibility.Describe(type)}), which {dtype} cannot hold. {fix}";
    }

    // An unresolvable source is reported by DefinitionValidator with its location; here it only has no columns to check.
    private BatchSource? ResolveBatchSource(string name) => BatchSources.Resolve(definitions, name, out _);

    private void Report(string message, Definition definition, string path) =>
        diagnostics.Add(ErrorCodes.InvalidDefinition, message, locations.Of(definition, path));

    internal static string Columns(SourceSchema schema)
    {
        var names = new List<string>(schema.Columns.Count);
        foreach (var c in schema.Columns)
        {
            names.Add(c.Name);
        }

        return string.Join(", ", names);
    }
}
