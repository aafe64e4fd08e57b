using Granary.Errors;
using Granary.Model;
using Granary.Historical;
using Granary.Materialization;
using Granary.Online;
using Granary.OnlineServing;
using Granary.Push;
using Granary.Offline;
using Granary.Offline.DuckDb;
using Granary.Offline.Retrieval;
using Granary.Registry;
using Granary.Registry.Configuration;
using Granary.Registry.Loading;
using Granary.Registry.Planning;
using Granary.Registry.Storage;
using Granary.Registry.Validation;

namespace Granary;

/// <summary>
/// The entry point to a feature repository: plan and apply its definitions, and read the registry. The CLI and the
/// server are thin layers over this type; applications get one from <c>AddGranary</c> or <see cref="Open"/>.
/// </summary>
public sealed class FeatureStore : IAsyncDisposable, IDisposable
{
    private readonly IRegistryStore _store;

    private readonly GranaryOptions _options;
    private readonly SemaphoreSlim _initialize = new(1, 1);
    private readonly OnlineRetriever _retriever;
    private bool _initialized;
    private bool _onlineInitialized;

    public FeatureStore(RepositoryConfig config, IRegistryStore store, IOfflineEngine offline, IOnlineStore online, GranaryOptions options)
    {
        Config = config;
        _store = store;
        Offline = offline;
        Online = online;
        _options = options;
        Registry = new RegistryCache(store, config.Project, options.RegistryRefreshInterval);
        _retriever = new OnlineRetriever(online, Registry, options.TimeProvider);
    }

    /// <summary>The repository's configuration.</summary>
    public RepositoryConfig Config { get; }

    public string Project => Config.Project;

    /// <summary>The offline engine that <c>offline_store</c> names; it also checks definitions against the data.</summary>
    public IOfflineEngine Offline { get; }

    /// <summary>The online store that <c>online_store</c> names.</summary>
    public IOnlineStore Online { get; }

    /// <summary>The registry as readers see it, refreshed when another process applies.</summary>
    public RegistryCache Registry { get; }

    /// <summary>Opens the repository at <paramref name="repositoryPath"/> with its configured registry.</summary>
    public static FeatureStore Open(string repositoryPath, GranaryOptions? options = null)
    {
        options ??= new GranaryOptions { RepositoryPath = repositoryPath };
        var config = ConfigParser.Load(repositoryPath);
        return new FeatureStore(config, RegistryStoreFactory.Create(config.Registry), OfflineEngines.Create(config.OfflineStore), OnlineStores.Create(config), options);
    }

    /// <summary>Reads and validates the repository's YAML, then computes what an apply would change. Changes nothing.</summary>
    /// <exception cref="DefinitionException">The definitions have mistakes; every one is listed with file and line.</exception>
    public async Task<RegistryPlan> PlanAsync(CancellationToken cancellationToken = default)
    {
        var loaded = RepositoryLoader.Load(Config);
        var diagnostics = new DiagnosticBag();
        foreach (var d in loaded.Diagnostics)
        {
            diagnostics.Add(d.Code, d.Message, d.Location);
        }

        return await PlanAsync(loaded.Definitions, loaded.Locations, diagnostics, cancellationToken);
    }

    /// <summary>Validates code-first definitions (see <c>RepositoryBuilder</c>) and computes what an apply would change.</summary>
    public Task<RegistryPlan> PlanAsync(DefinitionSet definitions, DefinitionLocations? locations = null, CancellationToken cancellationToken = default) =>
        PlanAsync(definitions, locations ?? DefinitionLocations.None, new DiagnosticBag(), cancellationToken);

    /// <summary>Applies a plan atomically; fails with <see cref="ErrorCodes.RegistryConflict"/> if the registry moved since it was made.</summary>
    public async Task<ApplyResult> ApplyAsync(RegistryPlan plan, CancellationToken cancellationToken = default)
    {
        await EnsureInitializedAsync(cancellationToken);
        var version = await _store.ApplyAsync(plan.ToApplyRequest(AppliedBy, DateTimeOffset.UtcNow), cancellationToken);
        try
        {
            await Registry.RefreshAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The apply is committed; a failed refresh only delays what this process's readers see until their next check.
        }

        return new ApplyResult(plan, version);
    }

    /// <summary>Plans and applies the repository's YAML in one step.</summary>
    public async Task<ApplyResult> ApplyAsync(CancellationToken cancellationToken = default) =>
        await ApplyAsync(await PlanAsync(cancellationToken), cancellationToken);

    /// <summary>The registry's current contents.</summary>
    public async ValueTask<RegistryContents> GetRegistryAsync(CancellationToken cancellationToken = default)
    {
        if (RegistryNotCreatedYet)
        {
            return new RegistryContents(RegistrySnapshot.Empty(Project));
        }

        await EnsureInitializedAsync(cancellationToken);
        return await Registry.GetAsync(cancellationToken);
    }

    /// <summary>The project's applies, newest first.</summary>
    public async Task<IReadOnlyList<ApplyRecord>> GetHistoryAsync(int limit = 100, CancellationToken cancellationToken = default)
    {
        if (RegistryNotCreatedYet)
        {
            return [];
        }

        await EnsureInitializedAsync(cancellationToken);
        return await _store.GetHistoryAsync(Project, limit, cancellationToken);
    }

    /// <summary>
    /// Point-in-time-correct training data for <paramref name="request"/>, resolved against the applied registry:
    /// each entity row gets, per feature, the latest value known at its <c>event_timestamp</c> (within the view's ttl).
    /// Nothing runs until the result is read or written.
    /// </summary>
    public async Task<HistoricalFeatures> GetHistoricalFeaturesAsync(HistoricalFeaturesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var registry = await GetRegistryAsync(cancellationToken);
        var (references, views) = FeatureResolver.Resolve(request, registry);
        var query = new PointInTimeRequest
        {
            Entities = request.Entities,
            Views = views,
            RepositoryRoot = Config.RepositoryRoot,
            FullFeatureNames = request.FullFeatureNames,
            FilterByCreatedTimestamp = request.FilterByCreatedTimestamp,
        };
        return new HistoricalFeatures(Offline, request, query, references, registry.Version);
    }

    /// <summary>Records a training dataset written by <see cref="HistoricalFeatures.WriteAsync"/> under <paramref name="name"/>.</summary>
    public async Task<SavedDataset> SaveDatasetAsync(string name, HistoricalFeatures result, string outputPath, long rowCount, CancellationToken cancellationToken = default)
    {
        if (!Identifier.IsValid(name))
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"Invalid dataset name '{name}': use {Identifier.Rule}.");
        }

        var output = Path.GetFullPath(outputPath);
        var (start, end) = await DuckDbFileStats.TimeRangeAsync(output, FileSource.FormatOf(output) ?? FileFormat.Parquet, cancellationToken);
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
            DateTimeOffset.UtcNow,
            AppliedBy);
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

    /// <summary>
    /// Loads the latest value per entity with an event time in [<paramref name="start"/>, <paramref name="end"/>] from the
    /// offline engine into the online store, for every online view (or those named), and moves each view's watermark
    /// to <paramref name="end"/> once its values are durable.
    /// </summary>
    public async Task<IReadOnlyList<MaterializationResult>> MaterializeAsync(
        DateTimeOffset start, DateTimeOffset end, IReadOnlyList<string>? views = null, IProgress<MaterializationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var results = new List<MaterializationResult>();
        var materializer = await MaterializerAsync(cancellationToken);
        foreach (var plan in await OnlineViewsAsync(views, cancellationToken))
        {
            results.Add(await materializer.MaterializeAsync(plan, start, end, progress, cancellationToken));
        }

        return results;
    }

    /// <summary>
    /// Materializes each online view (or those named) from its watermark (or, the first time, from <paramref name="end"/>
    /// minus its ttl, or the beginning for a view without ttl) to <paramref name="end"/>.
    /// </summary>
    public async Task<IReadOnlyList<MaterializationResult>> MaterializeIncrementalAsync(
        DateTimeOffset end, IReadOnlyList<string>? views = null, IProgress<MaterializationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var results = new List<MaterializationResult>();
        var materializer = await MaterializerAsync(cancellationToken);
        foreach (var plan in await OnlineViewsAsync(views, cancellationToken))
        {
            var start = await Online.GetWatermarkAsync(plan.Name, cancellationToken)
                ?? (plan.View.Ttl > TimeSpan.Zero ? end - plan.View.Ttl : DateTimeOffset.UnixEpoch);
            results.Add(await materializer.MaterializeAsync(plan, start, end, progress, cancellationToken));
        }

        return results;
    }

    /// <summary>The latest features of a few entities, with Feast's statuses; see <see cref="OnlineFeaturesRequest"/>.</summary>
    public async Task<OnlineFeaturesResponse> GetOnlineFeaturesAsync(OnlineFeaturesRequest request, CancellationToken cancellationToken = default)
    {
        await EnsureOnlineInitializedAsync(cancellationToken);
        return await _retriever.GetOnlineFeaturesAsync(request, cancellationToken);
    }

    /// <summary>
    /// Pushes rows to a push source: to the online store (last-write-wins, for every online view over the source), to
    /// the offline store (logged to the push source's batch source), or both. All or nothing: a row that does not fit
    /// rejects the whole push before anything is written.
    /// </summary>
    public async Task<PushResult> PushAsync(PushRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await EnsureOnlineInitializedAsync(cancellationToken);
        var registry = await GetRegistryAsync(cancellationToken);
        return await new Pusher(Offline, Online, Config.RepositoryRoot, _options.TimeProvider).PushAsync(request, registry, cancellationToken);
    }

    /// <summary>Writes rows of one feature view straight into the online store (Feast's <c>write_to_online_store</c>).</summary>
    public async Task<int> WriteToOnlineStoreAsync(string featureView, IReadOnlyDictionary<string, IReadOnlyList<object?>> columns, CancellationToken cancellationToken = default)
    {
        await EnsureOnlineInitializedAsync(cancellationToken);
        var registry = await GetRegistryAsync(cancellationToken);
        return await new Pusher(Offline, Online, Config.RepositoryRoot, _options.TimeProvider).WriteToOnlineAsync(featureView, columns, registry, cancellationToken);
    }

    /// <summary>One value by its <c>{namespace}:{feature}:{entity_key}</c> address (namespace = feature view).</summary>
    public async Task<OnlineValue> GetOnlineValueAsync(string address, CancellationToken cancellationToken = default)
    {
        await EnsureOnlineInitializedAsync(cancellationToken);
        return await _retriever.GetValueAsync(address, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Registry.Dispose();
        _initialize.Dispose();
        await _store.DisposeAsync();
        await Offline.DisposeAsync();
        await Online.DisposeAsync();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task<RegistryPlan> PlanAsync(DefinitionSet definitions, DefinitionLocations locations, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        await new DefinitionValidator(definitions, locations, diagnostics).ValidateAsync(Offline, Config.RepositoryRoot, cancellationToken);
        diagnostics.ThrowIfAny();
        RegistrySnapshot current;
        if (RegistryNotCreatedYet)
        {
            current = RegistrySnapshot.Empty(Project);
        }
        else
        {
            await EnsureInitializedAsync(cancellationToken);
            current = await _store.LoadAsync(Project, cancellationToken);
        }

        return RegistryPlanner.Plan(Project, definitions, current);
    }

    private string AppliedBy => _options.AppliedBy ?? $"{Environment.UserName}@{Environment.MachineName}";

    /// <summary>
    /// True while an embedded registry file does not exist: reads then see an empty registry without creating the
    /// file, so plan, list and history change nothing on disk. The first apply creates it.
    /// </summary>
    private bool RegistryNotCreatedYet =>
        !Volatile.Read(ref _initialized) && Config.Registry is { Type: RegistryConfig.Sqlite, Path: { } path } && !File.Exists(path);

    private async Task<Materializer> MaterializerAsync(CancellationToken cancellationToken)
    {
        await EnsureOnlineInitializedAsync(cancellationToken);
        return new Materializer(Offline, Online, Config.RepositoryRoot);
    }

    private async Task<List<OnlineViewPlan>> OnlineViewsAsync(IReadOnlyList<string>? names, CancellationToken cancellationToken)
    {
        var registry = await GetRegistryAsync(cancellationToken);
        var definitions = registry.Definitions;
        var plans = new List<OnlineViewPlan>();
        if (names is null || names.Count == 0)
        {
            foreach (var view in definitions.FeatureViews)
            {
                if (view.Online)
                {
                    plans.Add(OnlineViewPlan.For(view, definitions));
                }
            }

            if (plans.Count == 0)
            {
                throw new GranaryException(ErrorCodes.NotFound, registry.Version == 0
                    ? $"The registry of project '{Project}' is empty; run 'granary apply' first."
                    : $"Project '{Project}' has no feature view with online: true.");
            }

            return plans;
        }

        foreach (var name in names)
        {
            var view = definitions.FindFeatureView(name) ?? throw new GranaryException(
                ErrorCodes.NotFound,
                $"No feature view '{name}' in project '{Project}'.{(Suggestions.Closest(name, definitions.FeatureViews.Select(v => v.Name)) is { } s ? $" Did you mean '{s}'?" : "")}");
            if (!view.Online)
            {
                throw new GranaryException(ErrorCodes.InvalidArgument, $"Feature view '{name}' has online: false; it is not materialized.");
            }

            plans.Add(OnlineViewPlan.For(view, definitions));
        }

        return plans;
    }

    private async Task EnsureOnlineInitializedAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _onlineInitialized))
        {
            return;
        }

        await _initialize.WaitAsync(cancellationToken);
        try
        {
            if (!_onlineInitialized)
            {
                await Online.InitializeAsync(cancellationToken);
                Volatile.Write(ref _onlineInitialized, true);
            }
        }
        finally
        {
            _initialize.Release();
        }
    }

    private async Task EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _initialized))
        {
            return;
        }

        await _initialize.WaitAsync(cancellationToken);
        try
        {
            if (!_initialized)
            {
                await _store.InitializeAsync(cancellationToken);
                Volatile.Write(ref _initialized, true);
            }
        }
        finally
        {
            _initialize.Release();
        }
    }
}
