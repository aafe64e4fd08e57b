using Granary.Core.Model;

namespace Granary.Registry.Building;

/// <summary>Configures an on-demand feature view for <see cref="RepositoryBuilder.OnDemandFeatureView"/>.</summary>
public sealed class OnDemandFeatureViewBuilder : MetadataBuilder<OnDemandFeatureViewBuilder>
{
    private readonly List<string> _sources = [];
    private readonly List<Field> _request = [];
    private readonly List<OnDemandFeature> _features = [];
    private bool _writeToOnlineStore;

    /// <summary>Feature views whose features the expressions read as <c>view.feature</c>.</summary>
    public OnDemandFeatureViewBuilder Sources(params string[] views)
    {
        _sources.AddRange(views);
        return this;
    }

    /// <summary>A value every request brings (an entry of <c>request_schema</c>).</summary>
    public OnDemandFeatureViewBuilder RequestField(string name, FeatureType type)
    {
        _request.Add(new Field(name, type));
        return this;
    }

    /// <summary>A feature computed by an expression of the expression language.</summary>
    public OnDemandFeatureViewBuilder Feature(string name, FeatureType type, string expression)
    {
        _features.Add(new OnDemandFeature(name, type) { Expression = expression });
        return this;
    }

    /// <summary>A feature computed by the C# function registered as <paramref name="function"/> (<c>AddOnDemandFunction</c>).</summary>
    public OnDemandFeatureViewBuilder FunctionFeature(string name, FeatureType type, string function)
    {
        _features.Add(new OnDemandFeature(name, type) { Function = function });
        return this;
    }

    public OnDemandFeatureViewBuilder WriteToOnlineStore(bool write = true)
    {
        _writeToOnlineStore = write;
        return this;
    }

    internal OnDemandFeatureView Build(string name) => new()
    {
        Name = name,
        Sources = [.. _sources],
        RequestSchema = [.. _request],
        Features = [.. _features],
        WriteToOnlineStore = _writeToOnlineStore,
        Description = DescriptionText,
        Owner = OwnerText,
        Tags = new Dictionary<string, string>(TagMap, StringComparer.Ordinal),
    };
}
