using System.Collections.Frozen;
using Granary.Core.Model;
using Granary.Registry.Catalog;

namespace Granary.Resolution;

/// <summary>
/// What serving needs from a registry snapshot's catalog, worked out once per snapshot: each view's versions (newest
/// first, for <c>view@v2</c> and <c>view@1.2.0</c>), each view's current major (its online namespace), and the
/// entries whose lifecycle status changes serving (deprecated: a warning; archived: a refusal).
/// </summary>
internal sealed class ServingCatalog
{
    public static readonly ServingCatalog Empty = new([], _ => []);

    private readonly FrozenDictionary<string, CatalogVersion[]> _viewVersions;
    private readonly FrozenDictionary<string, SemanticVersion> _current;
    private readonly FrozenDictionary<string, LifecycleStatus> _notices;

    /// <param name="entries">Every entry of the catalog.</param>
    /// <param name="versionsOf">An entry's versions, newest first.</param>
    public ServingCatalog(IEnumerable<CatalogEntry> entries, Func<string, IReadOnlyList<CatalogVersion>> versionsOf)
    {
        var versions = new Dictionary<string, CatalogVersion[]>(StringComparer.Ordinal);
        var current = new Dictionary<string, SemanticVersion>(StringComparer.Ordinal);
        var notices = new Dictionary<string, LifecycleStatus>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (entry.Status is LifecycleStatus.Deprecated or LifecycleStatus.Archived)
            {
                notices[entry.Name] = entry.Status;
            }

            if (entry.Kind == CatalogEntryKind.View)
            {
                current[entry.Name] = entry.CurrentVersion;
                var list = new List<CatalogVersion>(versionsOf(entry.Name));
                list.Sort(static (a, b) => b.Version.CompareTo(a.Version));
                versions[entry.Name] = [.. list];
            }
        }

        _viewVersions = versions.ToFrozenDictionary(StringComparer.Ordinal);
        _current = current.ToFrozenDictionary(StringComparer.Ordinal);
        _notices = notices.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>True when some entry is deprecated or archived: only then does a query look statuses up.</summary>
    public bool HasNotices => _notices.Count > 0;

    /// <summary>The major of the view's current version; 1 for a view the catalog does not know (records under its name).</summary>
    public int CurrentMajor(string view) => _current.TryGetValue(view, out var version) ? version.Major : 1;

    /// <summary>The view's current (promoted) version, or null for a view the catalog does not know.</summary>
    public SemanticVersion? CurrentVersion(string view) => _current.TryGetValue(view, out var version) ? version : null;

    /// <summary>Deprecated or archived, for an entry that is; null otherwise.</summary>
    public LifecycleStatus? NoticeOf(string name) => _notices.TryGetValue(name, out var status) ? status : null;

    /// <summary>The view's versions, newest first (empty for a view the catalog does not know).</summary>
    public IReadOnlyList<CatalogVersion> VersionsOf(string view) => _viewVersions.TryGetValue(view, out var list) ? list : [];

    /// <summary>The version <paramref name="selector"/> picks: the newest with its major (staged or promoted), or exactly it.</summary>
    public CatalogVersion? Find(string view, FeatureVersionSelector selector)
    {
        if (!_viewVersions.TryGetValue(view, out var list))
        {
            return null;
        }

        foreach (var version in list)
        {
            if (selector.IsExact
                ? version.Version == new SemanticVersion(selector.Major, selector.Minor, selector.Patch)
                : version.Version.Major == selector.Major)
            {
                return version;
            }
        }

        return null;
    }
}
