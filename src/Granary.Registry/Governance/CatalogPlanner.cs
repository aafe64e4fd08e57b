using Granary.Core.Model;
using Granary.Registry.Catalog;
using Granary.Registry.Serialization;

namespace Granary.Registry.Governance;

/// <summary>
/// Computes what an apply writes to the catalog: for each view of the definitions and each of its features
/// (<c>view:feature</c>), a new entry at 1.0.0, a new version numbered by <see cref="CatalogDiff"/>'s rules with its
/// changelog, a promotion of a version staged by <c>apply --no-promote</c>, a metadata merge
/// (<see cref="GovernedMetadata"/>), or an archive of what the definitions no longer define. Pure: the same inputs
/// give the same writes, and nothing that did not change is written.
/// </summary>
internal static class CatalogPlanner
{
    /// <summary>Everything one plan needs besides the definitions.</summary>
    /// <param name="Project">The project.</param>
    /// <param name="Registered">The definitions the registry holds now.</param>
    /// <param name="Catalog">The catalog the registry holds now.</param>
    /// <param name="AppliedBy">Who applies (each new version's <see cref="CatalogVersion.CreatedBy"/>).</param>
    /// <param name="At">When; the entries' and versions' timestamps.</param>
    /// <param name="RegistryVersion">The registry version the apply produces.</param>
    /// <param name="Promote">False for <c>apply --no-promote</c>: a changed view's new versions are staged, not current.</param>
    public sealed record Context(
        string Project,
        DefinitionSet Registered,
        CatalogState Catalog,
        string AppliedBy,
        DateTimeOffset At,
        long RegistryVersion,
        bool Promote = true);

    public static CatalogPlan Plan(DefinitionSet desired, Context context)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(context);
        return new Run(context).Plan(desired);
    }

    /// <summary>The views of <paramref name="desired"/> that an apply with <c>--no-promote</c> stages: existing views whose spec changes.</summary>
    public static List<string> StagedViews(DefinitionSet desired, DefinitionSet registered)
    {
        var staged = new List<string>();
        foreach (var view in desired.FeatureViews)
        {
            if (registered.FindFeatureView(view.Name) is { } old && CanonicalJson.Serialize(old) != CanonicalJson.Serialize(view))
            {
                staged.Add(view.Name);
            }
        }

        staged.Sort(StringComparer.Ordinal);
        return staged;
    }

    private sealed class Run(Context context)
    {
        private readonly Dictionary<string, CatalogEntry> _entries = context.Catalog.Entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
        private readonly ILookup<string, CatalogVersion> _versions = context.Catalog.Versions.ToLookup(v => v.Name, StringComparer.Ordinal);
        private readonly List<CatalogWrite> _writes = [];
        private readonly List<CatalogChange> _changes = [];

        public CatalogPlan Plan(DefinitionSet desired)
        {
            var defined = new HashSet<string>(StringComparer.Ordinal);
            foreach (var view in desired.FeatureViews)
            {
                var old = context.Registered.FindFeatureView(view.Name);
                var staged = !context.Promote && old is not null && CanonicalJson.Serialize(old) != CanonicalJson.Serialize(view);
                defined.Add(view.Name);
                var (viewMeta, viewKeys) = GovernedMetadata.Of(view);
                var oldMeta = old is null ? ((CatalogMetadata, HashSet<string>)?)null : GovernedMetadata.Of(old);
                PlanEntry(view.Name, CatalogEntryKind.View, old is null ? null : CanonicalJson.Serialize(old), oldMeta, CanonicalJson.Serialize(view), viewMeta, viewKeys, staged);

                var oldFields = old is null ? [] : old.FeaturesExcluding(ToSet(context.Registered.JoinKeysOf(old))).ToDictionary(f => f.Name, StringComparer.Ordinal);
                var fields = view.FeaturesExcluding(ToSet(desired.JoinKeysOf(view))).ToList();
                foreach (var field in fields)
                {
                    var name = $"{view.Name}:{field.Name}";
                    defined.Add(name);
                    var oldField = oldFields.GetValueOrDefault(field.Name);
                    var (meta, keys) = GovernedMetadata.Of(field);
                    var oldFieldMeta = oldField is null ? ((CatalogMetadata, HashSet<string>)?)null : GovernedMetadata.Of(oldField);
                    PlanEntry(name, CatalogEntryKind.Feature, oldField is null ? null : CanonicalJson.Serialize(oldField), oldFieldMeta, CanonicalJson.Serialize(field), meta, keys, staged);
                }

                // A staged view's removed features still serve (the registry keeps its current spec): archived on promotion.
                if (staged)
                {
                    foreach (var name in oldFields.Keys)
                    {
                        defined.Add($"{view.Name}:{name}");
                    }
                }
            }

            foreach (var entry in context.Catalog.Entries.OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                if (entry.Defined && !defined.Contains(entry.Name) && IsOfAView(entry))
                {
                    Archive(entry);
                }
            }

            _changes.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            return new CatalogPlan(_writes, _changes);
        }

        // A view's entry, or a feature named view:feature: what apply defines (an API-only feature has a bare name).
        private static bool IsOfAView(CatalogEntry entry) => entry.Kind == CatalogEntryKind.View || entry.Name.Contains(':', StringComparison.Ordinal);

        private void PlanEntry(
            string name,
            CatalogEntryKind kind,
            string? registeredSnapshot,
            (CatalogMetadata Metadata, HashSet<string> Keys)? registeredMeta,
            string snapshot,
            CatalogMetadata meta,
            HashSet<string> keys,
            bool staged)
        {
            var versions = _versions[name].OrderByDescending(v => v.Version).ToList();
            _entries.TryGetValue(name, out var entry);
            if (entry is null && registeredSnapshot is not null)
            {
                // Applied before the catalog existed: catalogued at 1.0.0 with one write (an entry's writes are not
                // ordered within an apply). A staged view is catalogued as it serves; the next --no-promote stages the change.
                var serving = staged ? registeredSnapshot : snapshot;
                var (servingMeta, servingKeys) = staged ? registeredMeta!.Value : (meta, keys);
                var first = NewVersion(name, SemanticVersion.Initial, "Catalogued by apply.", [], serving, promoted: true, servingMeta);
                _writes.Add(new CatalogWrite(NewEntry(name, kind, servingMeta, servingKeys), first));
                _changes.Add(new CatalogChange(name, kind, CatalogChangeAction.Create, null, first.Version,
                    staged ? "catalogued as it serves now; apply --no-promote again to stage the change" : "catalogued"));
                return;
            }

            if (entry is null)
            {
                var version = NewVersion(name, SemanticVersion.Initial, "Created by apply.", [], snapshot, promoted: !staged, meta);
                var created = NewEntry(name, kind, meta, keys) with
                {
                    // A feature added by a staged view is not defined until its view's version is promoted.
                    Defined = !staged,
                    Status = staged ? LifecycleStatus.Draft : LifecycleStatus.Active,
                };
                _writes.Add(new CatalogWrite(created, version));
                _changes.Add(new CatalogChange(name, kind, staged ? CatalogChangeAction.Stage : CatalogChangeAction.Create, null, version.Version, "new"));
                return;
            }

            var current = versions.Find(v => v.Version == entry.CurrentVersion);
            var reference = registeredSnapshot ?? current?.DefinitionSnapshot;
            var newest = versions.Count > 0 ? versions[0] : null;
            if (reference == snapshot)
            {
                // The definition is what serves now: at most the entry's metadata moves (not while its view is staged).
                if (staged)
                {
                    return;
                }

                var merged = Merged(entry, meta, keys);
                if (!SameEntry(entry, merged))
                {
                    _writes.Add(new CatalogWrite(merged, null));
                    _changes.Add(new CatalogChange(name, kind, CatalogChangeAction.Metadata, entry.CurrentVersion, null, entry.Defined ? "metadata" : "defined again"));
                }

                return;
            }

            if (newest is { Promoted: false } && newest.DefinitionSnapshot == snapshot)
            {
                if (!staged)
                {
                    var promoted = Merged(entry, meta, keys) with { CurrentVersion = newest.Version };
                    _writes.Add(new CatalogWrite(promoted, null));
                    _changes.Add(new CatalogChange(name, kind, CatalogChangeAction.Promote, entry.CurrentVersion, newest.Version, "staged version promoted"));
                }

                return;
            }

            var baseSnapshot = newest?.DefinitionSnapshot ?? reference;
            var diff = baseSnapshot is null
                ? new CatalogDiff.Result(VersionBump.Minor, ["defined again"], [])
                : kind == CatalogEntryKind.View ? CatalogDiff.CompareViews(baseSnapshot, snapshot) : CatalogDiff.CompareFeatures(baseSnapshot, snapshot);
            var bump = diff.Bump == VersionBump.None ? VersionBump.Patch : diff.Bump;
            var from = newest?.Version ?? entry.CurrentVersion;
            var number = bump switch
            {
                VersionBump.Major => from.NextMajor(),
                VersionBump.Minor => from.NextMinor(),
                _ => from.NextPatch(),
            };
            var changelog = diff.Lines.Count == 0 ? "Definition changed." : string.Join("; ", diff.Lines);
            var newVersion = NewVersion(name, number, changelog, diff.Breaking, snapshot, promoted: !staged, meta);
            var updated = staged
                ? entry with { UpdatedAt = context.At }
                : Merged(entry, meta, keys) with { CurrentVersion = number };
            _writes.Add(new CatalogWrite(updated, newVersion));
            var reason = $"{Word(bump)}: {string.Join("; ", bump == VersionBump.Major && diff.Breaking.Count > 0 ? diff.Breaking : diff.Lines)}";
            _changes.Add(new CatalogChange(name, kind, staged ? CatalogChangeAction.Stage : CatalogChangeAction.Version, entry.CurrentVersion, number, reason));
        }

        private void Archive(CatalogEntry entry)
        {
            var archived = entry with { Defined = false, Status = LifecycleStatus.Archived, UpdatedAt = context.At };
            _writes.Add(new CatalogWrite(archived, null));
            _changes.Add(new CatalogChange(entry.Name, entry.Kind, CatalogChangeAction.Archive, entry.CurrentVersion, null, "no longer defined: archived, history kept"));
        }

        private CatalogEntry Merged(CatalogEntry entry, CatalogMetadata meta, HashSet<string> keys)
        {
            var (metadata, applied) = GovernedMetadata.Merge(entry.Metadata, entry.AppliedKeys, meta, keys);
            var status = !entry.Defined && entry.Status is LifecycleStatus.Archived or LifecycleStatus.Draft ? LifecycleStatus.Active : entry.Status;
            var merged = entry with { Metadata = metadata, AppliedKeys = applied, Defined = true, Status = status };
            return SameEntry(entry, merged) ? entry : merged with { UpdatedAt = context.At };
        }

        private static bool SameEntry(CatalogEntry a, CatalogEntry b) =>
            a.Defined == b.Defined && a.Status == b.Status && a.CurrentVersion == b.CurrentVersion
            && a.AppliedKeys.SetEquals(b.AppliedKeys) && GovernedMetadata.Same(a.Metadata, b.Metadata);

        private CatalogEntry NewEntry(string name, CatalogEntryKind kind, CatalogMetadata meta, HashSet<string> keys) =>
            new(context.Project, name, kind)
            {
                Metadata = meta,
                AppliedKeys = new SortedSet<string>(keys, StringComparer.Ordinal),
                Status = LifecycleStatus.Active,
                CurrentVersion = SemanticVersion.Initial,
                Defined = true,
                CreatedAt = context.At,
                UpdatedAt = context.At,
            };

        private CatalogVersion NewVersion(string name, SemanticVersion version, string changelog, IReadOnlyList<string> breaking, string snapshot, bool promoted, CatalogMetadata meta) =>
            new(context.Project, name, version)
            {
                Changelog = changelog,
                BreakingChanges = [.. breaking],
                TransformationSnapshot = meta.Transformation,
                ValidationSnapshot = meta.ValidationRules,
                DefinitionSnapshot = snapshot,
                RegistryVersion = context.RegistryVersion,
                Promoted = promoted,
                CreatedBy = context.AppliedBy,
                CreatedAt = context.At,
            };

        private static string Word(VersionBump bump) => bump switch
        {
            VersionBump.Major => "major",
            VersionBump.Minor => "minor",
            _ => "patch",
        };

        private static HashSet<string> ToSet(IReadOnlyList<string> keys) => new(keys, StringComparer.Ordinal);
    }
}
