namespace Granary.Online.Caching;

/// <summary>
/// The online read cache of an <c>online_store</c> section: <c>cache_ttl</c> (how long a read answer is served from
/// memory) and <c>cache_max_entries</c> (how many keys it holds at most; the least recently used go first).
/// </summary>
internal sealed record OnlineCacheOptions
{
    /// <summary>The section key of <see cref="Ttl"/>.</summary>
    public const string TtlKey = "cache_ttl";

    /// <summary>The section key of <see cref="MaxEntries"/>.</summary>
    public const string MaxEntriesKey = "cache_max_entries";

    /// <summary>The default of <see cref="MaxEntries"/>: about 100k keys, tens of megabytes for typical records.</summary>
    public const int DefaultMaxEntries = 100_000;

    /// <summary>How long an answer, a record or "none", is served from memory after it was read from the store.</summary>
    public required TimeSpan Ttl { get; init; }

    /// <summary>The most keys held; reading another evicts the least recently used.</summary>
    public int MaxEntries { get; init; } = DefaultMaxEntries;
}
