using Granary.Core.Model;
using Granary.Registry.Serialization;
using Granary.Registry.Storage;
using Granary.Core.Values;

namespace Granary.Registry.Planning;

/// <summary>Computes what an apply of <c>desired</c> would change in a registry holding <c>current</c>, by comparing canonical forms.</summary>
internal static class RegistryPlanner
{
    public static RegistryPlan Plan(string project, DefinitionSet desired, RegistrySnapshot current)
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
                changes.Add(new PlannedChange(definition.Kind, definition.Name, ChangeAction.Update, spec, hash, stored.Hash, JsonDiff.Compare(stored.Spec, spec)));
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
        var registered = current.Objects.Count == 0 ? DefinitionSet.Empty : new RegistryContents(current).Definitions;
        return new RegistryPlan(project, current.Version, changes, CanonicalJson.Serialize(project, desired), unchanged)
        {
            ViewsToRematerialize = current.Objects.Count == 0 ? [] : ViewsToRematerialize(desired, registered),
            StreamFeaturesToBackfill = StreamFeatureChanges.Find(desired, registered),
        };
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
