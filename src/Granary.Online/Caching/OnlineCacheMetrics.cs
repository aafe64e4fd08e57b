using System.Diagnostics.Metrics;
using Granary.Core.Diagnostics;

namespace Granary.Online.Caching;

/// <summary>
/// The online read cache's measurements, on the <c>Granary</c> meter (docs/observability.md): keys answered from
/// memory, keys read from the store, and keys evicted to stay within <c>cache_max_entries</c>.
/// </summary>
internal sealed class OnlineCacheMetrics
{
    public const string HitsName = "granary.online_cache.hits";
    public const string MissesName = "granary.online_cache.misses";
    public const string EvictionsName = "granary.online_cache.evictions";
    public const string HitsDescription = "Online reads of a key answered from the online read cache.";
    public const string MissesDescription = "Online reads of a key the online read cache did not hold (or held past its cache_ttl), read from the store.";
    public const string EvictionsDescription = "Keys the online read cache dropped, least recently used first, to stay within cache_max_entries.";

    private static readonly Meter Shared = new(GranaryTelemetry.MeterName);
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IMeterFactory, OnlineCacheMetrics> ByFactory = new();
    private static readonly Lazy<OnlineCacheMetrics> Default = new(() => new OnlineCacheMetrics(null));

    private readonly Counter<long> _hits;
    private readonly Counter<long> _misses;
    private readonly Counter<long> _evictions;

    private OnlineCacheMetrics(IMeterFactory? meterFactory)
    {
        var meter = meterFactory?.Create(GranaryTelemetry.MeterName) ?? Shared;
        _hits = meter.CreateCounter<long>(HitsName, "{key}", HitsDescription);
        _misses = meter.CreateCounter<long>(MissesName, "{key}", MissesDescription);
        _evictions = meter.CreateCounter<long>(EvictionsName, "{key}", EvictionsDescription);
    }

    /// <summary>The metrics of <paramref name="meterFactory"/>'s meter, created once per factory.</summary>
    public static OnlineCacheMetrics For(IMeterFactory? meterFactory) =>
        meterFactory is null ? Default.Value : ByFactory.GetValue(meterFactory, static factory => new OnlineCacheMetrics(factory));

    public void Read(int hits, int misses)
    {
        if (hits > 0)
        {
            _hits.Add(hits);
        }

        if (misses > 0)
        {
            _misses.Add(misses);
        }
    }

    public void Evicted(int keys)
    {
        if (keys > 0)
        {
            _evictions.Add(keys);
        }
    }
}
