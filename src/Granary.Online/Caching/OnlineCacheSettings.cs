using System.Globalization;
using Granary.Core.Providers;
using Granary.Core.Time;

namespace Granary.Online.Caching;

/// <summary>
/// Reads the cache keys that every <c>online_store</c> section may carry, whatever its type: <c>cache_ttl</c> (a
/// duration; absent or 0 is no cache) and <c>cache_max_entries</c> (a positive whole number).
/// </summary>
internal static class OnlineCacheSettings
{
    /// <summary>The cache's options, or null when the section asks for none or a mistake was reported through <paramref name="reader"/>.</summary>
    public static OnlineCacheOptions? Read(StoreOptionsReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var ttlText = reader.Optional(OnlineCacheOptions.TtlKey);
        var maxText = reader.Optional(OnlineCacheOptions.MaxEntriesKey);
        var maxEntries = OnlineCacheOptions.DefaultMaxEntries;
        if (maxText is not null && (!int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out maxEntries) || maxEntries <= 0))
        {
            reader.Error(OnlineCacheOptions.MaxEntriesKey, $"'{OnlineCacheOptions.MaxEntriesKey}' of '{reader.SectionName}' must be a positive whole number, not '{maxText}'.");
            return null;
        }

        if (ttlText is null)
        {
            return null;
        }

        if (!Durations.TryParse(ttlText, out var ttl))
        {
            reader.Error(OnlineCacheOptions.TtlKey, $"'{OnlineCacheOptions.TtlKey}' of '{reader.SectionName}' must be a duration with a unit s, m, h, d or w, such as 30s or 5m (0 turns the cache off), not '{ttlText}'.");
            return null;
        }

        return ttl == TimeSpan.Zero ? null : new OnlineCacheOptions { Ttl = ttl, MaxEntries = maxEntries };
    }
}
