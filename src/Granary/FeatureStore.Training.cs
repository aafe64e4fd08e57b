using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Historical;
using Granary.Core.Model;
using Granary.Offline;
using Granary.Offline.Files;
using Granary.Offline.Retrieval;
using Granary.Registry.Storage;

namespace Granary;

// Training data: point-in-time-correct historical retrieval and saved datasets.
public sealed partial class FeatureStore
{
    /// <summary>
    /// Point-in-time-correct training data for <paramref name="request"/>, resolved against the applied registry:
    /// each entity row gets, per feature, the latest value known at its <c>event_timestamp</c> (within the view's ttl).
    /// Nothing runs until the result is read or written. On-demand features are computed from the entity table's
    /// columns (their request fields) and their sources' joined features, by the delegates online serving runs.
    /// </summary>
    public async Task<HistoricalFeatures> GetHistoricalFeaturesAsync(HistoricalFeaturesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reader = Offline.Require<IPointInTimeReader>("build point-in-time training data");
        var registry = await GetRegistryAsync(cancellationToken);
        var resolved = FeatureResolver.Resolve(request, registry, _options.OnDemandFunctions);
        var query = new PointInTimeRequest
        {
            Entities = request.Entities,
            Views = resolved.Views,
            RepositoryRoot = Config.RepositoryRoot,
            // With on-demand features the output is renamed after the pass that computes them; the engine's full names keep
            // the sources' hidden features from colliding with requested ones.
            FullFeatureNames = request.FullFeatureNames || resolved.OnDemand is not null,
            FilterByCreatedTimestamp = request.FilterByCreatedTimestamp,
        };
        return new HistoricalFeatures(Offline.Name, reader, request, query, resolved.References, registry.Version) { FeatureVersions = resolved.Versions, OnDemand = resolved.OnDemand };
    }

    /// <summary>Records a training dataset written by <see cref="HistoricalFeatures.WriteAsync"/> under <paramref name="name"/>.</summary>
    public async Task<SavedDataset> SaveDatasetAsync(string name, HistoricalFeatures result, string outputPath, long rowCount, CancellationToken cancellationToken = default)
    {
        if (!Identifier.IsValid(name))
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"Invalid dataset name '{name}': use {Identifier.Rule}.");
        }

        var output = Path.GetFullPath(outputPath);
        var (start, end) = await DataFiles.Default.TimeRangeAsync(output, FileSource.FormatOf(output) ?? FileFormat.Parquet, cancellationToken);
        var entities = result.Query.Entities;
        var dataset = new SavedDataset(
            Project,
            name,
            result.Features.Select(f => f.ToString()).ToList(),
            result.Request.FeatureService,
            entities.Text,
            entities.Kind.ToString().ToLowerInvariant(),
            result.Request.FullFeatureNames,
            result.Request.FilterByCreatedTimestamp,
            start,
            end,
            rowCount,
            output,
            result.RegistryVersion,
            _options.TimeProvider.GetUtcNow(),
            AppliedBy)
        {
            FeatureVersions = result.FeatureVersions,
        };
        await EnsureInitializedAsync(cancellationToken);
        await _store.SaveDatasetAsync(dataset, cancellationToken);
        return dataset;
    }

    /// <summary>The project's saved training datasets, by name.</summary>
    public async Task<IReadOnlyList<SavedDataset>> ListDatasetsAsync(CancellationToken cancellationToken = default)
    {
        if (RegistryNotCreatedYet)
        {
            return [];
        }

        await EnsureInitializedAsync(cancellationToken);
        return await _store.ListDatasetsAsync(Project, cancellationToken);
    }

    /// <summary>One saved training dataset, or null.</summary>
    public async Task<SavedDataset?> GetDatasetAsync(string name, CancellationToken cancellationToken = default)
    {
        if (RegistryNotCreatedYet)
        {
            return null;
        }

        await EnsureInitializedAsync(cancellationToken);
        return await _store.GetDatasetAsync(Project, name, cancellationToken);
    }
}
