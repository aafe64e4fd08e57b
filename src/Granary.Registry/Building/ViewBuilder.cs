namespace Granary.Registry.Building;

/// <summary>What every kind of feature view has: entities, a source, a ttl and whether it is served online.</summary>
public abstract class ViewBuilder<TSelf> : MetadataBuilder<TSelf>
    where TSelf : ViewBuilder<TSelf>
{
    private readonly List<string> _entities = [];

    internal IReadOnlyList<string> EntityNames => _entities;

    internal string SourceName { get; private set; } = "";

    internal TimeSpan TtlValue { get; private set; } = TimeSpan.Zero;

    internal bool IsOnline { get; private set; } = true;

    public TSelf Entities(params string[] entities)
    {
        _entities.AddRange(entities);
        return (TSelf)this;
    }

    /// <summary>The source the view reads: a batch or push source, or for a stream view a push, redis_stream or nats source.</summary>
    public TSelf Source(string source)
    {
        SourceName = source;
        return (TSelf)this;
    }

    /// <summary>How long values stay valid; <see cref="TimeSpan.Zero"/> (the default) means forever.</summary>
    public TSelf Ttl(TimeSpan ttl)
    {
        TtlValue = ttl;
        return (TSelf)this;
    }

    internal string? CategoryName { get; private set; }

    /// <summary>The view's governed category, <c>feature_type</c> in YAML: one of <see cref="Core.Model.FeatureCategories.All"/>.</summary>
    public TSelf Category(string category)
    {
        CategoryName = category;
        return (TSelf)this;
    }

    internal Core.Model.FreshnessExpectation? FreshnessValue { get; private set; }

    /// <summary>
    /// How often new data is expected, <c>freshness</c> in YAML: <c>real_time</c>, <c>hourly</c>, <c>daily</c>,
    /// <c>weekly</c> or a duration such as <c>30m</c>; <paramref name="fresh"/> and <paramref name="stale"/> replace the
    /// expectation's own thresholds.
    /// </summary>
    /// <exception cref="ArgumentException">Not a class or duration, or thresholds out of order.</exception>
    public TSelf Freshness(string expected, TimeSpan? fresh = null, TimeSpan? stale = null)
    {
        if (!Core.Model.FreshnessExpectation.TryParse(expected, out var expectation))
        {
            throw new ArgumentException($"Invalid freshness '{expected}'; expected {Core.Model.FreshnessExpectation.Grammar}.", nameof(expected));
        }

        expectation = expectation with { Fresh = fresh ?? expectation.Fresh, Stale = stale ?? expectation.Stale };
        if (expectation.Fresh <= TimeSpan.Zero || expectation.Stale < expectation.Fresh)
        {
            throw new ArgumentException($"Freshness thresholds must be above 0 with stale ({expectation.Stale}) not less than fresh ({expectation.Fresh}).", nameof(stale));
        }

        FreshnessValue = expectation;
        return (TSelf)this;
    }

    public TSelf Online(bool online = true)
    {
        IsOnline = online;
        return (TSelf)this;
    }
}
