using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Registry.Alerts;
using Granary.Registry.Governance;
using Granary.Registry.Serialization;
using Granary.Registry.Storage;
using Granary.Core.Values;

namespace Granary.Registry.Planning;

/// <summary>Computes what an apply of <c>desired</c> would change in a registry holding <c>current</c>, by comparing canonical forms.</summary>
internal static class RegistryPlanner
{
    /// <summary>
    /// The plan of <paramref name="desired"/> over <paramref name="current"/>, with what it writes to
    /// <paramref name="catalog"/> (by default the catalog read with <paramref name="current"/>). With <paramref name="promote"/> false (<c>apply --no-promote</c>) an existing view
    /// whose spec changes keeps its registry object; its new version is only staged in the catalog.
    /// </summary>
    public static RegistryPlan Plan(
        string project,
        DefinitionSet desired,
        RegistrySnapshot current,
        CatalogState? catalog = null,
        string appliedBy = "",
        DateTimeOffset at = default,
        bool promote = true)
    {
        var registered = current.Objects.Count == 0 ? DefinitionSet.Empty : new RegistryContents(current).Definitions;
        var catalogPlan = CatalogPlanner.Plan(desired, new CatalogPlanner.Context(project, registered, catalog ?? new CatalogState(current.CatalogEntries, current.CatalogVersions), appliedBy, at, current.Version + 1, promote));
        var staged = promote ? [] : CatalogPlanner.StagedViews(desired, registered);
        var plan = PlanObjects(project, promote ? desired : Unstaged(desired, registered, staged), current, registered);
        return plan with { CatalogChanges = catalogPlan.Changes, CatalogWrites = catalogPlan.Writes, StagedViews = staged };
    }

    // The definitions the registry holds after an apply that stages views: each staged view as it is now.
    private static DefinitionSet Unstaged(DefinitionSet desired, DefinitionSet registered, List<string> staged)
    {
        if (staged.Count == 0)
        {
            return desired;
        }

        var views = desired.FeatureViews.Select(v => staged.Contains(v.Name) ? registered.FindFeatureView(v.Name)! : v).ToList();
        var result = desired with { FeatureViews = views };
        foreach (var service in result.FeatureServices)
        {
            foreach (var reference in service.Features)
            {
                if (staged.Contains(reference.View) && result.FindFeatureView(reference.View) is { } view && !view.Schema.Any(f => f.Name == reference.Feature))
                {
                    throw new GranaryException(
                        ErrorCodes.Unprocessable,
                        $"Feature service '{service.Name}' uses '{reference}', which only the staged version of view '{reference.View}' defines; apply without --no-promote, or add it to the service after promoting.");
                }
            }
        }

        return result;
    }

    private static RegistryPlan PlanObjects(string project, DefinitionSet desired, RegistrySnapshot current, DefinitionSet registered)
    {
        var existing = new Dictionary<(ObjectKind, string), StoredObject>();
        foreach (var stored in current.Objects)
        {
            existing[(stored.Kind, stored.Name)] = stored;
        }

        var changes = new List<PlannedChange>();
        var unchanged = 0;
        var wanted = new HashSet<(ObjectKind, string)>();
        foreach (var definition in desired.All())
        {
            var key = (definition.Kind, definition.Name);
            wanted.Add(key);
            var spec = CanonicalJson.Serialize(definition);
            var hash = CanonicalJson.Hash(spec);
            if (!existing.TryGetValue(key, out var stored))
            {
                changes.Add(new PlannedChange(definition.Kind, definition.Name, ChangeAction.Add, spec, hash, null, []));
            }
            else if (stored.Hash != hash)
            {
                changes.Add(new PlannedChange(definition.Kind, definition.Name, ChangeAction.Update, spec, hash, stored.Hash, Differences(definition.Kind, stored.Spec, spec)));
            }
            else
            {
                unchanged++;
            }
        }

        foreach (var stored in current.Objects)
        {
            if (!wanted.Contains((stored.Kind, stored.Name)))
            {
                changes.Add(new PlannedChange(stored.Kind, stored.Name, ChangeAction.Remove, null, null, stored.Hash, []));
            }
        }

        changes.Sort(static (a, b) => a.Kind != b.Kind ? a.Kind.CompareTo(b.Kind) : string.CompareOrdinal(a.Name, b.Name));
        return new RegistryPlan(project, current.Version, changes, CanonicalJson.Serialize(project, desired), unchanged)
        {
            ViewsToRematerialize = current.Objects.Count == 0 ? [] : ViewsToRematerialize(desired, registered),
            StreamFeaturesToBackfill = StreamFeatureChanges.Find(desired, registered),
        };
    }

    // A plan is printed and logged, so an alert's webhook is compared as it is shown: redacted. A URL that changes
    // only in its secret part still shows as a change, without either value.
    private static List<PropertyChange> Differences(ObjectKind kind, string oldSpec, string newSpec)
    {
        if (kind != ObjectKind.Alert)
        {
            return JsonDiff.Compare(oldSpec, newSpec);
        }

        var changes = JsonDiff.Compare(WebhookUrl.RedactSpec(oldSpec), WebhookUrl.RedactSpec(newSpec));
        if (!changes.Exists(static c => c.Path == "webhook") && WebhookOf(oldSpec) is var before && WebhookOf(newSpec) is var after && before != after)
        {
            var shown = WebhookUrl.Redact(after);
            changes.Add(new PropertyChange("webhook", shown, shown + " (another URL on the same host)"));
        }

        return changes;
    }

    private static string WebhookOf(string alertSpec)
    {
        using var document = System.Text.Json.JsonDocument.Parse(alertSpec);
        return document.RootElement.GetProperty("webhook").GetString() ?? "";
    }

    /// <summary>
    /// Online views present before and after whose records no longer fit: another record schema fingerprint (what the
    /// stores compare, <see cref="RecordSchema"/>) or other join-key value types (another entity key encoding). A
    /// stream view keeps aggregate state rather than records (<see cref="StreamFeatureChanges"/> says what it lacks);
    /// a view that stops being one has no records to read.
    /// </summary>
    private static List<string> ViewsToRematerialize(DefinitionSet desired, DefinitionSet stored)
    {
        var views = new List<string>();
        foreach (var view in desired.FeatureViews)
        {
            if (view.Online && view.Stream is null && stored.FindFeatureView(view.Name) is { } old
                && (old.Stream is not null
                    || RecordSchema.ForView(view, desired.JoinKeysOf(view)).Fingerprint != RecordSchema.ForView(old, stored.JoinKeysOf(old)).Fingerprint
                    || !KeyTypes(view, desired).SequenceEqual(KeyTypes(old, stored))))
            {
                views.Add(view.Name);
            }
        }

        views.Sort(StringComparer.Ordinal);
        return views;
    }

    /// <summary>The value type of each join key of <paramref name="view"/>, in order: what its stored keys are encoded by.</summary>
    internal static IEnumerable<FeatureType> KeyTypes(FeatureView view, DefinitionSet definitions)
    {
        foreach (var name in view.Entities)
        {
            if (definitions.FindEntity(name) is { } entity)
            {
                foreach (var _ in entity.JoinKeys)
                {
                    yield return entity.ValueType;
                }
            }
        }
    }
}
