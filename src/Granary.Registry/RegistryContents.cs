using Granary.Core.Model;
using Granary.Registry.Serialization;
using Granary.Registry.Storage;

namespace Granary.Registry;

/// <summary>A registry snapshot with its objects read back into the object model and its catalog indexed, ready for lookups.</summary>
public sealed class RegistryContents
{
    private readonly Dictionary<(ObjectKind, string), StoredObject> _stored = [];

    public RegistryContents(RegistrySnapshot snapshot)
    {
        Snapshot = snapshot;
        var entities = new List<Entity>();
        var sources = new List<DataSource>();
        var views = new List<FeatureView>();
        var services = new List<FeatureService>();
        var alerts = new List<Alert>();
        var onDemandViews = new List<OnDemandFeatureView>();
        var experiments = new List<Experiment>();
        foreach (var stored in snapshot.Objects)
        {
            _stored[(stored.Kind, stored.Name)] = stored;
            switch (CanonicalJsonReader.Read(stored.Kind, stored.Spec))
            {
                case Entity e: entities.Add(e); break;
                case DataSource s: sources.Add(s); break;
                case FeatureView v: views.Add(v); break;
                case FeatureService f: services.Add(f); break;
                case Alert a: alerts.Add(a); break;
                case OnDemandFeatureView o: onDemandViews.Add(o); break;
                case Experiment x: experiments.Add(x); break;
            }
        }

        Definitions = new DefinitionSet { Entities = entities, Sources = sources, FeatureViews = views, FeatureServices = services, Alerts = alerts, OnDemandFeatureViews = onDemandViews, Experiments = experiments };
        Catalog = snapshot.CatalogEntries.Count == 0 && snapshot.CatalogVersions.Count == 0
            ? RegistryCatalog.Empty
            : new RegistryCatalog(snapshot.CatalogEntries, snapshot.CatalogVersions);
    }

    public RegistrySnapshot Snapshot { get; }

    public long Version => Snapshot.Version;

    public string Project => Snapshot.Project;

    public DefinitionSet Definitions { get; }

    /// <summary>The project's governed catalog as read with the definitions: entries and every version, indexed.</summary>
    public RegistryCatalog Catalog { get; }

    /// <summary>The stored record (hash, versions, timestamps) of an object, or null.</summary>
    public StoredObject? Find(ObjectKind kind, string name) => _stored.GetValueOrDefault((kind, name));
}
