using Granary.Core.Model;
using Granary.Registry.Catalog;
using Granary.Registry.Governance;
using Granary.Registry.Planning;
using Granary.Registry.Storage;

namespace Granary.Tests.Registry.Catalog;

/// <summary>
/// A registry held in memory for the catalog planner's tests: objects and catalog as the stores keep them, each
/// apply planned by <see cref="RegistryPlanner"/> and its writes applied the way the stores apply them (entry upsert,
/// version insert, the current version marked promoted).
/// </summary>
internal sealed class ApplyCatalogSimulation(string project = "shop")
{
    public static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, CatalogEntry> _entries = new(StringComparer.Ordinal);
    private readonly List<CatalogVersion> _versions = [];
    private RegistrySnapshot _snapshot = RegistrySnapshot.Empty(project);

    public string Project => project;

    public long Version => _snapshot.Version;

    public RegistryPlan LastPlan { get; private set; } = null!;

    public CatalogState State => new([.. _entries.Values], [.. _versions]);

    public CatalogEntry Entry(string name) => _entries[name];

    public CatalogEntry? FindEntry(string name) => _entries.GetValueOrDefault(name);

    /// <summary>An entry's versions, newest first.</summary>
    public List<CatalogVersion> Versions(string name) => [.. _versions.Where(v => v.Name == name).OrderByDescending(v => v.Version)];

    /// <summary>Plans <paramref name="desired"/> and applies it; returns the plan.</summary>
    public RegistryPlan Apply(DefinitionSet desired, bool promote = true, string by = "ana@laptop")
    {
        var at = Start.AddMinutes(_snapshot.Version);
        var plan = RegistryPlanner.Plan(project, desired, _snapshot, State, by, at, promote);
        LastPlan = plan;
        var objects = _snapshot.Objects.ToDictionary(o => (o.Kind, o.Name));
        var next = _snapshot.Version + 1;
        foreach (var change in plan.Changes)
        {
            if (change.Action == ChangeAction.Remove)
            {
                objects.Remove((change.Kind, change.Name));
            }
            else
            {
                objects[(change.Kind, change.Name)] = new StoredObject(change.Kind, change.Name, change.NewSpec!, change.NewHash!, next, next, at, at);
            }
        }

        foreach (var write in plan.CatalogWrites)
        {
            _entries[write.Entry.Name] = write.Entry;
            if (write.NewVersion is { } version)
            {
                Assert.DoesNotContain(_versions, v => v.Name == version.Name && v.Version == version.Version);
                _versions.Add(version);
            }

            var current = _versions.FindIndex(v => v.Name == write.Entry.Name && v.Version == write.Entry.CurrentVersion);
            if (current >= 0 && !_versions[current].Promoted)
            {
                _versions[current] = _versions[current] with { Promoted = true };
            }
        }

        _snapshot = new RegistrySnapshot(project, next, [.. objects.Values.OrderBy(o => o.Kind).ThenBy(o => o.Name, StringComparer.Ordinal)]);
        return plan;
    }

    /// <summary>What the API would do: replace an entry's metadata (not its version).</summary>
    public void UpdateThroughApi(string name, Func<CatalogMetadata, CatalogMetadata> change) =>
        _entries[name] = _entries[name] with { Metadata = change(_entries[name].Metadata) };

    /// <summary>Forgets the catalog, as a registry applied before the catalog existed.</summary>
    public void ForgetCatalog()
    {
        _entries.Clear();
        _versions.Clear();
    }

    /// <summary>A small repository: entity <c>customer</c> and view <c>customer_stats</c> with the given features.</summary>
    public static DefinitionSet Repository(params Field[] features) => Repository(view => view, features);

    public static DefinitionSet Repository(Func<FeatureView, FeatureView> edit, params Field[] features) => new()
    {
        Entities = [new Entity { Name = "customer", JoinKeys = ["customer_id"], ValueType = FeatureType.Int64 }],
        Sources = [new FileSource { Name = "orders", Path = "data/orders.parquet", Format = FileFormat.Parquet, TimestampField = "ts" }],
        FeatureViews = [edit(new FeatureView { Name = "customer_stats", Entities = ["customer"], Source = "orders", Schema = [.. features], Ttl = TimeSpan.FromDays(1) })],
    };
}
