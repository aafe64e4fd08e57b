namespace Granary.Core.Model;

/// <summary>
/// A group of features read from one source and keyed by the join keys of its entities.
/// </summary>
public sealed record FeatureView : Definition
{
    /// <summary>Names of the entities this view is keyed by; empty for a view with no entity.</summary>
    public required IReadOnlyList<string> Entities { get; init; }

    /// <summary>The features. A field named like a join key of the view's entities types that key instead.</summary>
    public required IReadOnlyList<Field> Schema { get; init; }

    /// <summary>How long a value stays valid after its event time; <see cref="TimeSpan.Zero"/> means forever.</summary>
    public TimeSpan Ttl { get; init; }

    /// <summary>The name of the view's data source.</summary>
    public required string Source { get; init; }

    /// <summary>Whether materialization loads this view into the online store.</summary>
    public bool Online { get; init; } = true;

    /// <summary>
    /// For a stream feature view, its aggregations, hop and lateness; the schema then holds the aggregated features.
    /// Null for a view of stored values.
    /// </summary>
    public StreamSettings? Stream { get; init; }

    /// <summary>The governed category of the view (<c>feature_type</c>, one of <see cref="FeatureCategories.All"/>); null when not set.</summary>
    public string? Category { get; init; }

    /// <summary>How often new data is expected (<c>freshness:</c>); null when not declared, which monitoring judges as <see cref="FreshnessExpectation.Default"/>.</summary>
    public FreshnessExpectation? Freshness { get; init; }

    /// <summary>
    /// For a derived feature view (<c>derived_feature_views:</c>), the query its rows come from; its
    /// <see cref="Source"/> is then empty. Null for a view that reads a source.
    /// </summary>
    public DerivedQuery? Derived { get; init; }

    public override ObjectKind Kind => ObjectKind.FeatureView;

    /// <summary>The schema fields that are features (not join keys of <paramref name="joinKeys"/>).</summary>
    public IEnumerable<Field> FeaturesExcluding(IReadOnlySet<string> joinKeys)
    {
        foreach (var field in Schema)
        {
            if (!joinKeys.Contains(field.Name))
            {
                yield return field;
            }
        }
    }
}
