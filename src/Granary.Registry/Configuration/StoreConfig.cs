namespace Granary.Registry.Configuration;

/// <summary>An offline or online store choice from <c>granary.yaml</c>: a type and its type-specific settings.</summary>
/// <param name="Type">For the offline store <c>duckdb</c> or <c>postgres</c>; for the online store <c>embedded</c> or <c>redis</c>.</param>
/// <param name="Connection">The connection string, for server-backed stores; variables already expanded.</param>
/// <param name="Settings">Any other keys, by name, for store-specific options.</param>
public sealed record StoreConfig(string Type, string? Connection, IReadOnlyDictionary<string, string> Settings)
{
    public static readonly StoreConfig DuckDb = new("duckdb", null, new Dictionary<string, string>());

    public static readonly StoreConfig Embedded = new("embedded", null, new Dictionary<string, string>());

    public static readonly string[] OfflineTypes = ["duckdb", "postgres"];

    public static readonly string[] OnlineTypes = ["embedded", "redis"];
}
