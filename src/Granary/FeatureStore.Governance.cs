using Granary.Governance;
using Granary.Registry.Catalog;

namespace Granary;

// The governed catalog: metadata, lifecycle, versions, lineage and usage of the project's features and views.
public sealed partial class FeatureStore
{
    /// <summary>The governed catalog of the project's features and views (what <c>/api/v1/features</c> and <c>granary features</c> use).</summary>
    public FeatureCatalog Catalog { get; }

    private ServiceUsageCache? _serviceUsage;

    /// <summary>Records the usage of served feature services in batches, off the serving path.</summary>
    internal UsageRecorder Usage { get; }

    /// <summary>Who makes a catalog change: what apply history records.</summary>
    internal string ChangedBy => AppliedBy;

    /// <summary>False while the registry file does not exist yet (reads then see an empty catalog and create nothing).</summary>
    internal async ValueTask<bool> CatalogExistsAsync(CancellationToken cancellationToken)
    {
        if (RegistryNotCreatedYet)
        {
            return false;
        }

        await EnsureInitializedAsync(cancellationToken);
        return true;
    }

    /// <summary>Creates the registry's tables (and file) if needed: a catalog write may come before the first apply.</summary>
    internal ValueTask EnsureCatalogCreatedAsync(CancellationToken cancellationToken) => EnsureInitializedAsync(cancellationToken);

    /// <summary>Lets this process's readers see a catalog write now; a failed refresh only delays that until the next check.</summary>
    internal async Task RefreshRegistryQuietlyAsync(CancellationToken cancellationToken)
    {
        if (RegistryNotCreatedYet)
        {
            return;
        }

        try
        {
            await Registry.RefreshAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The write is committed; readers catch up at their next refresh.
        }
    }

    /// <summary>
    /// Queues one use of each feature of <paramref name="service"/>, just served, by <paramref name="model"/> (the
    /// service when null). Allocates nothing once the service's features are known for the registry snapshot; never throws.
    /// </summary>
    internal void RecordServiceUsage(string service, string? model)
    {
        try
        {
            var read = Registry.GetAsync();
            if (!read.IsCompletedSuccessfully)
            {
                return;
            }

            var registry = read.Result;
            var cache = Volatile.Read(ref _serviceUsage);
            if (cache is null || !ReferenceEquals(cache.Registry, registry))
            {
                cache = new ServiceUsageCache(registry);
                Volatile.Write(ref _serviceUsage, cache);
            }

            var features = cache.FeaturesOf(service);
            if (features.Length > 0)
            {
                Usage.Record(features, model ?? service);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The read served; its usage is statistics and must never fail it.
        }
    }

    private static ICatalogStore CatalogStoreOf(Registry.Storage.IRegistryStore store) =>
        store as ICatalogStore ?? new UnavailableCatalogStore(store.GetType().Name);
}
