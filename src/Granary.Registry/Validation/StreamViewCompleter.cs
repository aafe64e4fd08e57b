using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Sources;
using Granary.Registry.Loading;
using Granary.Streaming.Definitions;

namespace Granary.Registry.Validation;

/// <summary>
/// Checks each stream feature view against its source and completes it with <see cref="StreamViewResolver"/>: the
/// registry then stores its derived schema (<c>sum_amount_1h</c>, ...) and its typed event columns, so every reader
/// sees an ordinary view. An event column's dtype is the one the view's <c>schema:</c> declares, else the natural dtype
/// of the batch source's column; a declared dtype must hold the column when the source can be inspected, and when it
/// cannot (no inspector reaches that kind of source), every column the view reads must be declared.
/// </summary>
internal sealed class StreamViewCompleter(DefinitionSet definitions, DefinitionLocations locations, DiagnosticBag diagnostics)
{
    /// <summary>
    /// The definitions with every valid stream view completed; views with mistakes are reported and left as written.
    /// </summary>
    /// <param name="columns">The inspected batch sources; null when nothing could be inspected.</param>
    public DefinitionSet Complete(SourceColumnChecker? columns)
    {
        var views = new List<FeatureView>(definitions.FeatureViews.Count);
        var changed = false;
        foreach (var view in definitions.FeatureViews)
        {
            var completed = view.Stream is null ? view : Complete(view, columns) ?? view;
            if (!ReferenceEquals(completed, view))
            {
                locations.Move(view, completed);
                changed = true;
            }

            views.Add(completed);
        }

        return changed ? definitions with { FeatureViews = views } : definitions;
    }

    private FeatureView? Complete(FeatureView view, SourceColumnChecker? columns)
    {
        var settings = view.Stream!;
        if (definitions.FindSource(view.Source) is not { } source)
        {
            // Reported by DefinitionValidator as an unknown source (or the source failed to load).
            return null;
        }

        if (source is not (PushSource or StreamSource))
        {
            Report($"Stream feature view '{view.Name}' reads {source.SourceType} source '{source.Name}'; it needs a push, redis_stream or nats source, whose batch_source logs its events.", view, "source");
            return null;
        }

        if (BatchSources.Resolve(definitions, source.Name, out _) is not { } batch || columns?.Unreadable(batch.Name) == true)
        {
            // The source's batch_source is missing or unreadable: reported at the source.
            return null;
        }

        var events = new EventColumns(view, definitions.JoinKeysOf(view), batch, columns?.SchemaOf(batch.Name));
        var mistakes = diagnostics.Items.Count;
        CheckWholeSeconds(view, settings);
        CheckDeclaredColumns(view, events);
        CheckEventId(view, events);
        for (var i = 0; i < settings.Aggregations.Count; i++)
        {
            CheckAggregation(view, i, events);
        }

        if (diagnostics.Items.Count > mistakes)
        {
            return null;
        }

        try
        {
            return StreamViewResolver.Resolve(view, events.TypeOf);
        }
        catch (StreamDefinitionException e)
        {
            // What spans aggregations (two producing one feature name) or the whole view (allowed_lateness).
            Report($"Stream feature view '{view.Name}': {e.Message}", view, e.Path);
            return null;
        }
    }

    private void CheckDeclaredColumns(FeatureView view, EventColumns events)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var inputs = view.Stream!.Inputs;
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            if (!seen.Add(input.Name))
            {
                Report($"Stream feature view '{view.Name}' declares event column '{input.Name}' twice.", view, $"schema[{i}]", ErrorCodes.DuplicateName);
            }
            else if (events.Schema is { } schema)
            {
                var column = events.Batch.SourceColumnFor(input.Name);
                if (schema.Find(column) is not { } found)
                {
                    Report($"Stream feature view '{view.Name}' declares event column '{input.Name}', but its events' batch source '{events.Batch.Name}' has no column '{column}'; it has {SourceColumnChecker.Columns(schema)}.", view, $"schema[{i}]");
                }
                else if (SourceColumnChecker.Mismatch(input.Type, found, schema, "dtype: {0}") is { } problem)
                {
                    Report($"Event column '{input.Name}' of stream feature view '{view.Name}' is declared {input.Type}, but column '{column}' of source '{events.Batch.Name}' {problem}", view, $"schema[{i}].dtype");
                }
            }
        }
    }

    private void CheckEventId(FeatureView view, EventColumns events)
    {
        if (view.Stream!.EventIdField is { } field)
        {
            CheckColumn(view, events, field, "event_id_field", $"event_id_field '{field}'");
        }
    }

    private void CheckAggregation(FeatureView view, int index, EventColumns events)
    {
        var aggregation = view.Stream!.Aggregations[index];
        var path = $"aggregations[{index}]";
        if (aggregation.Column is { } column && !CheckColumn(view, events, column, $"{path}.column", $"column '{column}' (in {path})"))
        {
            return;
        }

        // Compiled alone so that every aggregation's mistake is reported in one plan, each at its own line.
        var alone = view.Stream with { Aggregations = [aggregation] };
        try
        {
            foreach (var feature in StreamPlanCompiler.Compile(alone, events.TypeOf).Features)
            {
                if (!Identifier.IsValid(feature.Name))
                {
                    Report($"Stream feature view '{view.Name}' would name a feature '{feature.Name}', which is not a valid name ({Identifier.Rule}); give the aggregation a 'name'.", view, path);
                }
                else if (events.JoinKeys.Contains(feature.Name))
                {
                    Report($"Stream feature view '{view.Name}' would name a feature '{feature.Name}', like one of its join keys; give the aggregation another 'name'.", view, $"{path}.name");
                }
            }
        }
        catch (StreamDefinitionException e)
        {
            // The compiler saw this aggregation as the first: its paths say aggregations[0].
            const string Alone = "aggregations[0]";
            var at = e.Path.StartsWith(Alone, StringComparison.Ordinal) ? path + e.Path[Alone.Length..] : e.Path;
            Report($"Stream feature view '{view.Name}': {e.Message}", view, at);
        }
    }

    // Whether the events carry the column (declared, or in the batch source when it can be inspected); reports why not.
    private bool CheckColumn(FeatureView view, EventColumns events, string name, string path, string what)
    {
        if (events.Declares(name))
        {
            return true;
        }

        if (events.Schema is not { } schema)
        {
            Report($"Stream feature view '{view.Name}' reads {what}, but its events' batch source '{events.Batch.Name}' cannot be inspected here to type it; declare it in the view's schema: [{{name: {name}, dtype: ...}}].", view, path);
            return false;
        }

        var column = events.Batch.SourceColumnFor(name);
        if (schema.Find(column) is not { } found)
        {
            Report($"Stream feature view '{view.Name}' reads {what}, but its events' batch source '{events.Batch.Name}' has no column '{column}'; it has {SourceColumnChecker.Columns(schema)}.", view, path);
            return false;
        }

        if (DtypeCompatibility.Natural(ColumnType.Parse(found.EngineType)) is null)
        {
            var type = ColumnType.Parse(found.EngineType);
            Report($"Stream feature view '{view.Name}' reads {what}, but column '{column}' of source '{events.Batch.Name}' is {type.EngineType} ({DtypeCompatibility.Describe(type)}), which no dtype holds; convert the column in the source.", view, path);
            return false;
        }

        return true;
    }

    // Definitions write durations in whole seconds (Durations); a finer one from C# could not be stored as written.
    private void CheckWholeSeconds(FeatureView view, StreamSettings settings)
    {
        CheckWholeSeconds(view, settings.Hop, "hop");
        CheckWholeSeconds(view, settings.AllowedLateness, "allowed_lateness");
        for (var i = 0; i < settings.Aggregations.Count; i++)
        {
            var windows = settings.Aggregations[i].Windows;
            for (var w = 0; w < windows.Count; w++)
            {
                CheckWholeSeconds(view, windows[w].Length, $"aggregations[{i}].windows[{w}]");
                CheckWholeSeconds(view, windows[w].Hop ?? TimeSpan.Zero, $"aggregations[{i}].windows[{w}]");
            }
        }
    }

    private void CheckWholeSeconds(FeatureView view, TimeSpan duration, string path)
    {
        if (duration.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            Report($"Stream feature view '{view.Name}' has a duration of {duration} at {path}; durations are whole seconds.", view, path);
        }
    }

    private void Report(string message, FeatureView view, string path, string code = ErrorCodes.InvalidDefinition) =>
        diagnostics.Add(code, message, locations.Of(view, path));

    /// <summary>The columns of one view's events: declared in its schema, or read from its batch source.</summary>
    private sealed class EventColumns
    {
        private readonly Dictionary<string, FeatureType> _declared = new(StringComparer.Ordinal);

        public EventColumns(FeatureView view, IReadOnlyList<string> joinKeys, BatchSource batch, SourceSchema? schema)
        {
            Batch = batch;
            Schema = schema;
            JoinKeys = new HashSet<string>(joinKeys, StringComparer.Ordinal);
            foreach (var input in view.Stream!.Inputs)
            {
                _declared.TryAdd(input.Name, input.Type);
            }
        }

        public BatchSource Batch { get; }

        public SourceSchema? Schema { get; }

        public HashSet<string> JoinKeys { get; }

        public bool Declares(string name) => _declared.ContainsKey(name);

        public FeatureType? TypeOf(string name)
        {
            if (_declared.TryGetValue(name, out var declared))
            {
                return declared;
            }

            return Schema?.Find(Batch.SourceColumnFor(name)) is { } column ? DtypeCompatibility.Natural(ColumnType.Parse(column.EngineType)) : null;
        }
    }
}
