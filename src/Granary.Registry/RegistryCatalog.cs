using Granary.Registry.Catalog;

namespace Granary.Registry;

/// <summary>
/// The governed catalog of one registry snapshot, indexed once for lookups that allocate nothing: entries by name,
/// each entry's versions newest first, and a version by its number.
/// </summary>
/// <remarks>
/// What serving resolves pinned reads from: <c>view@v2:feature</c> is <see cref="NewestWithMajor"/> of the view, staged
/// or promoted; <c>view@1.2.0:feature</c> is <see cref="FindVersion"/>. Usage counters are as of the snapshot: usage
/// records do not reload it.
/// </remarks>
public sealed class RegistryCatalog
{
    /// <summary>A catalog with no entries.</summary>
    public static readonly RegistryCatalog Empty = new([], []);

    private static readonly CatalogVersion[] NoVersions = [];

    private readonly Dictionary<string, CatalogEntry> _entries;
    private readonly Dictionary<string, CatalogVersion[]> _versions;
    private readonly Dictionary<(string Name, SemanticVersion Version), CatalogVersion> _byNumber;

    /// <param name="entries">The entries; a name given twice keeps the last.</param>
    /// <param name="versions">Every version of the entries, in any order.</param>
    public RegistryCatalog(IEnumerable<CatalogEntry> entries, IEnumerable<CatalogVersion> versions)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(versions);
        _entries = new Dictionary<string, CatalogEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            _entries[entry.Name] = entry;
        }

        var sorted = _entries.Values.ToArray();
        Array.Sort(sorted, static (x, y) => string.CompareOrdinal(x.Name, y.Name));
        Entries = sorted;

        _byNumber = [];
        var byName = new Dictionary<string, List<CatalogVersion>>(StringComparer.Ordinal);
        foreach (var version in versions)
        {
            _byNumber[(version.Name, version.Version)] = version;
        }

        foreach (var version in _byNumber.Values)
        {
            if (!byName.TryGetValue(version.Name, out var list))
            {
                byName[version.Name] = list = [];
            }

            list.Add(version);
        }

        _versions = new Dictionary<string, CatalogVersion[]>(byName.Count, StringComparer.Ordinal);
        foreach (var (name, list) in byName)
        {
            var newestFirst = list.ToArray();
            Array.Sort(newestFirst, static (x, y) => y.Version.CompareTo(x.Version));
            _versions[name] = newestFirst;
        }
    }

    /// <summary>Every entry, ordered by ordinal name.</summary>
    public IReadOnlyList<CatalogEntry> Entries { get; }

    /// <summary>The entry named <paramref name="name"/>, or null.</summary>
    public CatalogEntry? FindEntry(string name) => _entries.GetValueOrDefault(name);

    /// <summary>The entry's versions, newest first; empty when it has none.</summary>
    public IReadOnlyList<CatalogVersion> VersionsOf(string name) => _versions.GetValueOrDefault(name) ?? NoVersions;

    /// <summary>Exactly that version of the entry, or null.</summary>
    public CatalogVersion? FindVersion(string name, SemanticVersion version) => _byNumber.GetValueOrDefault((name, version));

    /// <summary>The newest version of the entry whose major is <paramref name="major"/> (staged or promoted), or null.</summary>
    public CatalogVersion? NewestWithMajor(string name, int major)
    {
        if (!_versions.TryGetValue(name, out var versions))
        {
            return null;
        }

        foreach (var version in versions)
        {
            if (version.Version.Major == major)
            {
                return version;
            }
        }

        return null;
    }
}
