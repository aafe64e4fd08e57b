using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Online;
using Granary.Online.Diagnostics;
using Granary.Online.Embedded;
using Granary.Online.Redis;
using Granary.Registry.Configuration;

namespace Granary;

/// <summary>Creates the online store that <c>online_store</c> in <c>granary.yaml</c> names.</summary>
public static class OnlineStores
{
    /// <summary>Where the embedded store keeps its file unless <c>online_store.path</c> says otherwise.</summary>
    public const string DefaultEmbeddedPath = "data/online.db";

    public static IOnlineStore Create(RepositoryConfig config)
    {
        var online = config.OnlineStore;
        return online.Type switch
        {
            "embedded" => new TracedOnlineStore(new EmbeddedOnlineStore(Path.GetFullPath(online.Settings.GetValueOrDefault("path") ?? DefaultEmbeddedPath, config.RepositoryRoot))),
            "redis" when online.Connection is { } connection => new TracedOnlineStore(new RedisOnlineStore(connection, config.Project), "redis"),
            _ => throw new GranaryException(ErrorCodes.InvalidConfig, $"The online_store type '{online.Type}' is not available."),
        };
    }
}
