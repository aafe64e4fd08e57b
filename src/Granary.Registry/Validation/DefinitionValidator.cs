using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Registry.Loading;
using Granary.Core.Sources;

namespace Granary.Registry.Validation;

/// <summary>
/// Checks a project's definitions as a whole: unique names, references between objects, feature services, and,
/// when an inspector is given, that every column a definition names exists in its source. Stream feature views are
/// completed on the way (<see cref="StreamViewCompleter"/>): what is returned is what an apply stores.
/// </summary>
internal sealed class DefinitionValidator(DefinitionSet definitions, DefinitionLocations locations, DiagnosticBag diagnostics, IReadOnlyList<LoadedRecipe>? recipes = null)
{
    // Recipe lines already reported by RecipeChecker: a feature service declared from the recipe does not repeat them.
    private HashSet<SourceLocation> _reportedRecipeSites = [];

    /// <summary>Runs every check, adding what it finds to the bag.</summary>
    /// <param name="inspector">Reads source schemas; null skips the column checks.</param>
    /// <param name="repositoryRoot">Where relative file paths are resolved.</param>
    /// <param name="cancellationToken">Cancels source inspection.</param>
    /// <returns>The definitions with each valid stream feature view's schema and typed event columns filled in.</returns>
    public async Task<DefinitionSet> ValidateAsync(ISourceSchemaInspector? inspector, string repositoryRoot, CancellationToken cancellationToken = default)
    {
        CheckDuplicates(definitions.Entities);
        CheckDuplicates(definitions.Sources);
        CheckDuplicates(definitions.FeatureViews);
        CheckDuplicates(definitions.FeatureServices);
        CheckDuplicates(definitions.Alerts);
        CheckDuplicates(definitions.Experiments);
        CheckEntities();
        CheckSources();
        foreach (var view in definitions.FeatureViews)
        {
            CheckFeatureView(view);
        }

        SourceColumnChecker? columns = null;
        if (inspector is not null)
        {
            columns = new SourceColumnChecker(definitions, locations, diagnostics);
            await columns.CheckAsync(inspector, repositoryRoot, cancellationToken);
        }

        await new DerivedViewChecker(definitions, locations, diagnostics).CheckAsync(inspector, repositoryRoot, cancellationToken);

        // Services are checked against the completed views: a stream view's features exist only once derived.
        var completed = new StreamViewCompleter(definitions, locations, diagnostics).Complete(columns);
        if (recipes is { Count: > 0 })
        {
            _reportedRecipeSites = new RecipeChecker(completed, locations, diagnostics).Check(recipes);
        }

        foreach (var service in completed.FeatureServices)
        {
            CheckFeatureService(service, completed);
        }

        CheckAlerts();
        new OnDemandViewChecker(locations, diagnostics).Check(completed);
        CheckExperiments();

        return completed;
    }

    private void CheckAlerts()
    {
        foreach (var alert in definitions.Alerts)
        {
            for (var i = 0; i < alert.Views.Count; i++)
            {
                var view = alert.Views[i];
                if (definitions.FindFeatureView(view) is null && !locations.Unloaded.Contains(ObjectKind.FeatureView, view))
                {
                    var names = new List<string>(definitions.FeatureViews.Count);
                    foreach (var v in definitions.FeatureViews)
                    {
                        names.Add(v.Name);
                    }

                    var hint = Suggestions.Closest(view, names) is { } s ? $"; did you mean '{s}'?" : "";
                    Report(ErrorCodes.UnknownReference, $"Alert '{alert.Name}' watches unknown feature view '{view}'{hint}", alert, $"views[{i}]");
                }
            }
        }
    }

    // Whether each variant's version exists is ExperimentVersionChecker's: versions are known only against the registry.
    private void CheckExperiments()
    {
        foreach (var experiment in definitions.Experiments)
        {
            var view = experiment.FeatureView;
            if (definitions.FindFeatureView(view) is null && !locations.Unloaded.Contains(ObjectKind.FeatureView, view))
            {
                var names = new List<string>(definitions.FeatureViews.Count);
                foreach (var v in definitions.FeatureViews)
                {
                    names.Add(v.Name);
                }

                var hint = Suggestions.Closest(view, names) is { } s ? $"; did you mean '{s}'?" : "";
                Report(ErrorCodes.UnknownReference, $"Experiment '{experiment.Name}' tests unknown feature view '{view}'{hint}", experiment, "feature_view");
            }
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
            var batchName = source switch
            {
                PushSource push => push.BatchSourceName,
                StreamSource stream => stream.BatchSourceName,
                _ => "",
            };
            if (batchName.Length > 0)
            {
                var batch = definitions.FindSource(batchName);
                var label = source is PushSource ? "Push" : $"The {source.SourceType}";
                if (batch is null && !locations.Unloaded.Contains(ObjectKind.DataSource, batchName))
                {
                    Report(ErrorCodes.UnknownReference, $"{label} source '{source.Name}' names batch_source '{batchName}', which is not defined{Hint(batchName, definitions.Sources)}.", source, "batch_source");
                }
                else if (batch is not null and not BatchSource)
                {
                    Report(ErrorCodes.InvalidDefinition, $"The batch_source of {source.SourceType} source '{source.Name}' must be a file or postgres source; '{batch.Name}' is a {batch.SourceType} source.", source, "batch_source");
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

        var source = view.Source.Length > 0 ? definitions.FindSource(view.Source) : null;
        if (view.Source.Length > 0 && source is null && !locations.Unloaded.Contains(ObjectKind.DataSource, view.Source))
        {
            Report(ErrorCodes.UnknownReference, $"Feature view '{view.Name}' reads source '{view.Source}', which is not defined{Hint(view.Source, definitions.Sources)}.", view, "source");
        }

        if (view.Stream is not null)
        {
            // Its schema is derived from its aggregations, and checked as they are (StreamViewCompleter).
            return;
        }

        if (source is StreamSource stream)
        {
            Report(ErrorCodes.InvalidDefinition, $"Feature view '{view.Name}' reads {stream.SourceType} source '{stream.Name}'; stream sources feed stream_feature_views. Read its batch_source '{stream.BatchSourceName}' instead.", view, "source");
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

        new ValidationRuleChecker(locations, diagnostics).Check(view, joinKeys);
        if (features == 0 && !locations.Unloaded.LostFieldsOf(view.Name))
        {
            var why = view.Schema.Count > 0 ? "every schema field is a join key" : "its schema is empty";
            Report(ErrorCodes.InvalidDefinition, $"Feature view '{view.Name}' has no features: {why}.", view, "schema");
        }
    }

    private void CheckFeatureService(FeatureService service, DefinitionSet completed)
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

            if (locations.Of(service, path) is { } site && _reportedRecipeSites.Contains(site))
            {
                continue;
            }

            if (completed.FindFeatureView(reference.View) is null && completed.FindOnDemandFeatureView(reference.View) is { } onDemand)
            {
                if (onDemand.FindFeature(reference.Feature) is null)
                {
                    Report(ErrorCodes.UnknownReference, $"Feature service '{service.Name}' names feature '{reference.Feature}', which on-demand feature view '{onDemand.Name}' does not have; it has {string.Join(", ", onDemand.Features.Select(f => f.Name))}.", service, path);
                }

                continue;
            }

            if (completed.FindFeatureView(reference.View) is not { } view)
            {
                if (locations.Unloaded.Contains(ObjectKind.FeatureView, reference.View) || locations.Unloaded.Contains(ObjectKind.OnDemandFeatureView, reference.View))
                {
                    continue;
                }

                Report(ErrorCodes.UnknownReference, $"Feature service '{service.Name}' names feature view '{reference.View}', which is not defined{Hint(reference.View, completed.FeatureViews)}.", service, path);
                continue;
            }

            if (view.Stream is not null && view.Schema.Count == 0)
            {
                // A stream view that could not be completed: its mistake is reported; its features are unknown.
                continue;
            }

            var joinKeys = new HashSet<string>(completed.JoinKeysOf(view), StringComparer.Ordinal);
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
