namespace Granary.Core.Model;

/// <summary>Every object of one project, as defined in a repository or read from the registry.</summary>
public sealed record DefinitionSet
{
    public static readonly DefinitionSet Empty = new();

    public IReadOnlyList<Entity> Entities { get; init; } = [];

    public IReadOnlyList<DataSource> Sources { get; init; } = [];

    public IReadOnlyList<FeatureView> FeatureViews { get; init; } = [];

    public IReadOnlyList<FeatureService> FeatureServices { get; init; } = [];

    /// <summary>The alerts the monitor evaluates (<c>alerts:</c>).</summary>
    public IReadOnlyList<Alert> Alerts { get; init; } = [];

    public IReadOnlyList<OnDemandFeatureView> OnDemandFeatureViews { get; init; } = [];

    /// <summary>The A/B tests of feature view versions (<c>experiments:</c>).</summary>
    public IReadOnlyList<Experiment> Experiments { get; init; } = [];

    /// <summary>All objects in dependency order (entities, sources, views, services, alerts, on-demand views, experiments).</summary>
    public IEnumerable<Definition> All()
    {
        foreach (var e in Entities)
        {
            yield return e;
        }

        foreach (var s in Sources)
        {
            yield return s;
        }

        foreach (var v in FeatureViews)
        {
            yield return v;
        }

        foreach (var s in FeatureServices)
        {
            yield return s;
        }

        foreach (var a in Alerts)
        {
            yield return a;
        }

        foreach (var o in OnDemandFeatureViews)
        {
            yield return o;
        }

        foreach (var x in Experiments)
        {
            yield return x;
        }
    }

    public Entity? FindEntity(string name) => Find(Entities, name);

    public DataSource? FindSource(string name) => Find(Sources, name);

    public FeatureView? FindFeatureView(string name) => Find(FeatureViews, name);

    public FeatureService? FindFeatureService(string name) => Find(FeatureServices, name);

    public Alert? FindAlert(string name) => Find(Alerts, name);

    public OnDemandFeatureView? FindOnDemandFeatureView(string name) => Find(OnDemandFeatureViews, name);

    public Experiment? FindExperiment(string name) => Find(Experiments, name);

    /// <summary>The join keys of a view, in the order of its entities.</summary>
    public IReadOnlyList<string> JoinKeysOf(FeatureView view)
    {
        var keys = new List<string>();
        foreach (var entityName in view.Entities)
        {
            if (FindEntity(entityName) is { } entity)
            {
                keys.AddRange(entity.JoinKeys);
            }
        }

        return keys;
    }

    private static T? Find<T>(IReadOnlyList<T> items, string name)
        where T : Definition
    {
        foreach (var item in items)
        {
            if (item.Name == name)
            {
                return item;
            }
        }

        return null;
    }
}
