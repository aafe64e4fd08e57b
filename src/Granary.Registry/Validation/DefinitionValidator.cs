using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Registry.Loading;
using Granary.Core.Sources;

namespace Granary.Registry.Validation;

/// <summary>
/// Checks a project's definitions as a whole: unique names, references between objects, feature services, and,
/// when an inspector is given, that every column a definition names exists in its source.
/// </summary>
internal sealed class DefinitionValidator(DefinitionSet definitions, DefinitionLocations locations, DiagnosticBag diagnostics)
{
    /// <summary>Runs every check, adding what it finds to the bag.</summary>
    /// <param name="inspector">Reads source schemas; null skips the column checks.</param>
    /// <param name="repositoryRoot">Where relative file paths are resolved.</param>
    /// <param name="cancellationToken">Cancels source inspection.</param>
    public async Task ValidateAsync(ISourceSchemaInspector? inspector, string repositoryRoot, CancellationToken cancellationToken = default)
    {
        CheckDuplicates(definitions.Entities);
        CheckDuplicates(definitions.Sources);
        CheckDuplicates(definitions.FeatureViews);
        CheckDuplicates(definitions.FeatureServices);
        CheckEntities();
        CheckSources();
        foreach (var view in definitions.FeatureViews)
        {
            CheckFeatureView(view);
        }

        foreach (var service in definitions.FeatureServices)
        {
            CheckFeatureService(service);
        }

        if (inspector is not null)
        {
            await new SourceColumnChecker(definitions, locations, diagnostics).CheckAsync(inspector, repositoryRoot, cancellationToken);
        }
    }

    private void CheckDuplicates<T>(IReadOnlyList<T> items)
        where T : Definition
    {
        var first = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (first.TryGetValue(item.Name, out var original))
            {
                var where = locations.Of(original) is { } at ? $" (first defined at {at})" : "";
                Report(ErrorCodes.DuplicateName, $"Duplicate {item.Kind.DisplayName()} '{item.Name}'{where}.", item, "name");
            }
            else
            {
                first[item.Name] = item;
            }
        }
    }

    private void CheckEntities()
    {
        foreach (var entity in definitions.Entities)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < entity.JoinKeys.Count; i++)
            {
                if (!seen.Add(entity.JoinKeys[i]))
                {
                    Report(ErrorCodes.InvalidDefinition, $"Entity '{entity.Name}' lists join key '{entity.JoinKeys[i]}' twice.", entity, $"join_keys[{i}]");
                }
            }
        }
    }

    private void CheckSources()
    {
        foreach (var source in definitions.Sources)
        {
            if (source is PushSource push && push.BatchSourceName.Length > 0)
            {
                var batch = definitions.FindSource(push.BatchSourceName);
                if (batch is null && !locations.Unloaded.Contains(ObjectKind.DataSource, push.BatchSourceName))
                {
                    Report(ErrorCodes.UnknownReference, $"Push source '{push.Name}' names batch_source '{push.BatchSourceName}', which is not defined{Hint(push.BatchSourceName, definitions.Sources)}.", push, "batch_source");
                }
                else if (batch is not null and not BatchSource)
                {
                    Report(ErrorCodes.InvalidDefinition, $"The batch_source of push source '{push.Name}' must be a file or postgres source; '{batch.Name}' is a {batch.SourceType} source.", push, "batch_source");
                }
            }
        }
    }

    private void CheckFeatureView(FeatureView view)
    {
        var joinKeys = new Dictionary<string, Entity>(StringComparer.Ordinal);
        for (var i = 0; i < view.Entities.Count; i++)
        {
            var name = view.Entities[i];
            if (definitions.FindEntity(name) is not { } entity)
            {
                if (locations.Unloaded.Contains(ObjectKind.Entity, name))
                {
                    continue;
                }

                Report(ErrorCodes.UnknownReference, $"Feature view '{view.Name}' names entity '{name}', which is not defined{Hint(name, definitions.Entities)}.", view, $"entities[{i}]");
                continue;
            }

            foreach (var key in entity.JoinKeys)
            {
                if (!joinKeys.TryAdd(key, entity))
                {
                    Report(ErrorCodes.InvalidDefinition, $"Feature view '{view.Name}' has join key '{key}' from both '{joinKeys[key].Name}' and '{entity.Name}'.", view, $"entities[{i}]");
                }
            }
        }

        if (view.Source.Length > 0 && definitions.FindSource(view.Source) is null && !locations.Unloaded.Contains(ObjectKind.DataSource, view.Source))
        {
            Report(ErrorCodes.UnknownReference, $"Feature view '{view.Name}' reads source '{view.Source}', which is not defined{Hint(view.Source, definitions.Sources)}.", view, "source");
        }

        var fields = new HashSet<string>(StringComparer.Ordinal);
        var features = 0;
        for (var i = 0; i < view.Schema.Count; i++)
        {
            var field = view.Schema[i];
            if (!fields.Add(field.Name))
            {
                Report(ErrorCodes.DuplicateName, $"Feature view '{view.Name}' lists field '{field.Name}' twice.", view, $"schema[{i}]");
            }

            if (joinKeys.TryGetValue(field.Name, out var owner))
            {
                if (field.Type != owner.ValueType)
                {
                    Report(ErrorCodes.InvalidDefinition, $"Field '{field.Name}' of feature view '{view.Name}' is the join key of entity '{owner.Name}', whose value_type is {owner.ValueType}, but it is declared {field.Type}.", view, $"schema[{i}].dtype");
                }
            }
            else
            {
                features++;
            }
        }

        if (features == 0 && !locations.Unloaded.LostFieldsOf(view.Name))
        {
            var why = view.Schema.Count > 0 ? "every schema field is a join key" : "its schema is empty";
            Report(ErrorCodes.InvalidDefinition, $"Feature view '{view.Name}' has no features: {why}.", view, "schema");
        }
    }

    private void CheckFeatureService(FeatureService service)
    {
        if (service.Features.Count == 0)
        {
            Report(ErrorCodes.InvalidDefinition, $"Feature service '{service.Name}' lists no features; add 'features: [view:feature, ...]'.", service, "features");
        }

        var seen = new HashSet<FeatureReference>();
        for (var i = 0; i < service.Features.Count; i++)
        {
            var reference = service.Features[i];
            var path = $"features[{i}]";
            if (!seen.Add(reference))
            {
                Report(ErrorCodes.DuplicateName, $"Feature service '{service.Name}' lists '{reference}' twice.", service, path);
                continue;
            }

            if (definitions.FindFeatureView(reference.View) is not { } view)
            {
                if (locations.Unloaded.Contains(ObjectKind.FeatureView, reference.View))
                {
                    continue;
                }

                Report(ErrorCodes.UnknownReference, $"Feature service '{service.Name}' names feature view '{reference.View}', which is not defined{Hint(reference.View, definitions.FeatureViews)}.", service, path);
                continue;
            }

            var joinKeys = new HashSet<string>(definitions.JoinKeysOf(view), StringComparer.Ordinal);
            var names = new List<string>();
            foreach (var field in view.FeaturesExcluding(joinKeys))
            {
                names.Add(field.Name);
            }

            if (!names.Contains(reference.Feature) && !locations.Unloaded.ContainsField(view.Name, reference.Feature))
            {
                var suggestion = Suggestions.Closest(reference.Feature, names);
                var hint = suggestion is null ? $"it has {string.Join(", ", names)}" : $"did you mean '{reference.View}:{suggestion}'?";
                Report(ErrorCodes.UnknownReference, $"Feature service '{service.Name}' names feature '{reference.Feature}', which feature view '{view.Name}' does not have; {hint}", service, path);
            }
        }
    }

    private void Report(string code, string message, Definition definition, string path) =>
        diagnostics.Add(code, message, locations.Of(definition, path));

    private static string Hint<T>(string name, IReadOnlyList<T> candidates)
        where T : Definition
    {
        var names = new List<string>(candidates.Count);
        foreach (var c in candidates)
        {
            names.Add(c.Name);
        }

        return Suggestions.Closest(name, names) is { } s ? $" (did you mean '{s}'?)" : "";
    }
}
