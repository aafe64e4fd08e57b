using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Sources;
using Granary.Registry.Loading;

namespace Granary.Registry.Validation;

/// <summary>
/// Checks derived feature views: every <c>{{ name }}</c> names a source or a feature view, no view reads itself
/// through others (the cycle is named), and, when an inspector is given, the engine plans the query and its result
/// has the join keys, <c>event_timestamp</c> and every schema feature. Errors point at the view's <c>query</c>.
/// </summary>
internal sealed class DerivedViewChecker(DefinitionSet definitions, DefinitionLocations locations, DiagnosticBag diagnostics)
{
    public async Task CheckAsync(ISourceSchemaInspector? inspector, string repositoryRoot, CancellationToken cancellationToken)
    {
        // In dependency order, so that a view reading a faulty one is skipped instead of repeating its mistake.
        var faulty = new HashSet<string>(StringComparer.Ordinal);
        foreach (var view in DerivedSources.InDependencyOrder(definitions.FeatureViews))
        {
            if (view.Derived is not { } derived)
            {
                continue;
            }

            var mistakes = diagnostics.Items.Count;
            var sound = CheckReferences(view, derived);
            if (derived.References().Any(faulty.Contains))
            {
                faulty.Add(view.Name);
                continue;
            }

            if (sound && inspector is not null)
            {
                await CheckColumnsAsync(view, inspector, repositoryRoot, cancellationToken);
            }

            if (diagnostics.Items.Count > mistakes || DerivedSources.CycleFrom(definitions, view) is not null)
            {
                faulty.Add(view.Name);
            }
        }
    }

    private bool CheckReferences(FeatureView view, DerivedQuery derived)
    {
        var references = derived.References();
        var sound = true;
        if (references.Count == 0)
        {
            Report(ErrorCodes.InvalidDefinition, $"The query of derived feature view '{view.Name}' reads nothing: name its inputs as {{{{ view_or_source }}}}.", view);
            return false;
        }

        foreach (var name in references)
        {
            if (definitions.FindFeatureView(name) is not null || definitions.FindSource(name) is not null)
            {
                continue;
            }

            sound = false;
            if (!locations.Unloaded.Contains(ObjectKind.FeatureView, name) && !locations.Unloaded.Contains(ObjectKind.DataSource, name))
            {
                var names = definitions.FeatureViews.Select(v => v.Name).Concat(definitions.Sources.Select(s => s.Name)).ToList();
                var hint = Suggestions.Closest(name, names) is { } s ? $"; did you mean '{s}'?" : ".";
                Report(ErrorCodes.UnknownReference, $"Derived feature view '{view.Name}' reads '{{{{ {name} }}}}', which is neither a source nor a feature view{hint}", view);
            }
        }

        if (DerivedSources.CycleFrom(definitions, view) is { } cycle)
        {
            sound = false;

            // Reported by the view the cycle starts at, so each cycle is named at each of its views once.
            if (cycle.StartsWith(view.Name + " -> ", StringComparison.Ordinal))
            {
                Report(ErrorCodes.InvalidDefinition, $"Derived feature views read each other in a cycle: {cycle}.", view);
            }
        }

        return sound;
    }

    private async Task CheckColumnsAsync(FeatureView view, ISourceSchemaInspector inspector, string repositoryRoot, CancellationToken cancellationToken)
    {
        if (BatchSources.OfView(definitions, view, out var problem) is not { } source)
        {
            Report(ErrorCodes.InvalidDefinition, problem!, view);
            return;
        }

        SourceSchema? schema;
        try
        {
            schema = await inspector.InspectAsync(source, repositoryRoot, cancellationToken);
        }
        catch (GranaryException e)
        {
            Report(e.Code, e.Message, view);
            return;
        }

        if (schema is null)
        {
            return;
        }

        var expected = new List<string>();
        foreach (var entityName in view.Entities)
        {
            if (definitions.FindEntity(entityName) is { } entity)
            {
                expected.AddRange(entity.JoinKeys);
            }
        }

        expected.Add(DerivedQuery.EventTimestampColumn);
        foreach (var field in view.Schema)
        {
            if (!expected.Contains(field.Name))
            {
                expected.Add(field.Name);
            }
        }

        var missing = expected.Where(c => !schema.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            var returned = string.Join(", ", schema.Columns.Select(c => c.Name));
            Report(
                ErrorCodes.InvalidDefinition,
                $"The query of derived feature view '{view.Name}' does not return {string.Join(", ", missing.Select(m => $"'{m}'"))} (it returns {returned}); a derived view's query returns its join keys, '{DerivedQuery.EventTimestampColumn}' and every schema feature.",
                view);
        }
    }

    private void Report(string code, string message, FeatureView view) =>
        diagnostics.Add(code, message, locations.Of(view, "query") ?? locations.Of(view));
}
