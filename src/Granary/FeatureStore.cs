using System.Reflection;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Sources;
using Granary.Governance;
using Granary.Monitoring;
using Granary.Online;
using Granary.OnlineServing;
using Granary.Offline;
using Granary.Registry;
using Granary.Registry.Configuration;
using Granary.Registry.Catalog;
using Granary.Registry.Loading;
using Granary.Registry.Planning;
using Granary.Registry.Storage;
using Granary.Registry.Validation;
using Microsoft.Extensions.Logging;

namespace Granary;

/// <summary>
/// The entry point to a feature repository: plan and apply its definitions, and read the registry. The CLI and the
/// server are thin layers over this type; applications get one from <c>AddGranary</c>, <see cref="Open"/> or a
/// <see cref="FeatureStoreBuilder"/>. It exposes operations, not its parts: the registry store, the offline engine and
/// the online store are created by their providers and owned (and disposed) by the store.
/// </summary>
public sealed partial class FeatureStore : IAsyncDisposable, IDisposable
{
    // A view name no repository can define (identifiers cannot contain '/'): the health read touches the store and nothing else.
    private const string ProbeView = "granary/health";

    private readonly IRegistryStore _store;

    private readonly FeatureStoreSettings _options;
    private readonly ILogger _logger;
    private readonly OnlineRetriever _retriever;
    private readonly ServingSampler<ServedRow>? _servingSampler;
    private readonly ServingSampler<Experiments.Exposure>? _exposures;
    private readonly AsyncOnce _registryReady;
    private readonly AsyncOnce _onlineReady;

    // Composed by FeatureStoreBuilder only: the parts stay behind the operations, so a host cannot hold one part
    // (an online store, say) apart from the store that owns and disposes it.
    internal FeatureStore(RepositoryConfig config, IRegistryStore store, IOfflineEngine offline, IOnlineStore online, FeatureStoreSettings options)
    {
        Config = config;
        _store = store;
        Offline = offline;
        Online = online;
        _options = options;
        _logger = options.LoggerFactory.CreateLogger<FeatureStore>();
        Registry = new RegistryCache(store, config.Project, options.RegistryRefreshInterval, options.TimeProvider, options.LoggerFactory.CreateLogger<RegistryCache>());
        _servingSampler = ServingSampling.Create(this, offline, options);
        _exposures = Experiments.ExposureLog.Create(this, offline, options);
        _retriever = new OnlineRetriever(online, Registry, options.TimeProvider, _logger, _servingSampler, options.OnDemandFunctions);
        _registryReady = new AsyncOnce(store.InitializeAsync);
        _onlineReady = new AsyncOnce(online.InitializeAsync);
        Usage = new UsageRecorder(store, config.Project, options.Usage, options.TimeProvider, options.LoggerFactory.CreateLogger<UsageRecorder>());
        Catalog = new FeatureCatalog(this, store, options.Usage.Environment);
        NewestEvents = new NewestEventTracker(store, config.Project, options.TimeProvider, options.LoggerFactory.CreateLogger<NewestEventTracker>());
        Writes = new NewestEventRecordingStore(online, NewestEvents);
    }

    /// <summary>Raised after a refresh found a newer registry version (an apply made here or elsewhere).</summary>
    public event Action<RegistryContents>? RegistryChanged
    {
        add => Registry.Changed += value;
        remove => Registry.Changed -= value;
    }

    /// <summary>Raised when a background registry refresh fails; readers keep the definitions they have, and it is retried after the interval.</summary>
    public event Action<Exception>? RegistryRefreshFailed
    {
        add => Registry.RefreshFailed += value;
        remove => Registry.RefreshFailed -= value;
    }

    public string Project => Config.Project;

    /// <summary>The absolute path of the repository root (the folder holding <c>granary.yaml</c>).</summary>
    public string RepositoryRoot => Config.RepositoryRoot;

    /// <summary>The offline engine's name (<c>duckdb</c>, <c>postgres</c>), as messages and logs show it.</summary>
    public string OfflineEngineName => Offline.Name;

    /// <summary>The online store's name (<c>embedded</c>, <c>redis</c>), as <c>/health</c> and messages show it.</summary>
    public string OnlineStoreName => Online.Name;

    /// <summary>Where the registry is: the file of a file-based registry, otherwise its type (<c>postgres</c>).</summary>
    public string RegistryLocation => _store.FilePath ?? Config.Registry.Type;

    /// <summary>The registry version readers see now; 0 before the first read (or for a registry never applied).</summary>
    public long RegistryVersion => Registry.Version;

    /// <summary>Advice about <c>granary.yaml</c> that did not stop it from opening, such as keys no provider reads; plan shows it.</summary>
    public IReadOnlyList<Diagnostic> ConfigurationWarnings => Config.Warnings;

    /// <summary>The <c>monitoring:</c> section of <c>granary.yaml</c>: serving log sample rate and retention, and the monitor's schedule.</summary>
    public MonitoringSettings Monitoring => Config.Monitoring;

    /// <summary>The repository's configuration.</summary>
    internal RepositoryConfig Config { get; }

    /// <summary>The offline engine that <c>offline_store</c> names; it also checks definitions against the data.</summary>
    internal IOfflineEngine Offline { get; }

    /// <summary>The online store that <c>online_store</c> names.</summary>
    internal IOnlineStore Online { get; }

    /// <summary>The online store as materialization, push and stream ingest write to it: it tracks each view's newest event, for freshness.</summary>
    internal IOnlineStore Writes { get; }

    internal NewestEventTracker NewestEvents { get; }

    /// <summary>The registry as readers see it, refreshed when another process applies.</summary>
    internal RegistryCache Registry { get; }

    /// <summary>What the builder decided: the clock, logging, metrics and options.</summary>
    internal FeatureStoreSettings Settings => _options;

    /// <summary>Granary's version, without build metadata: what <c>granary version</c> and Feast's <c>GetFeastServingInfo</c> report.</summary>
    public static string Version { get; } =
        typeof(FeatureStore).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    /// <summary>
    /// Opens the repository at <paramref name="repositoryPath"/> with its configured stores: the short form of
    /// <c>new FeatureStoreBuilder(repositoryPath).UseOptions(options).Build()</c>.
    /// </summary>
    public static FeatureStore Open(string repositoryPath, GranaryOptions? options = null)
    {
        var builder = new FeatureStoreBuilder(repositoryPath);
        if (options is not null)
        {
            builder.UseOptions(options);
        }

        return builder.Build();
    }

    /// <summary>
    /// Whether the store can serve now: the registry and the online store are each asked, not assumed from a cache.
    /// Returns the registry version readers see. The server's <c>/health</c> and gRPC health check both use it.
    /// </summary>
    /// <exception cref="GranaryException">
    /// <see cref="ErrorCodes.RegistryUnavailable"/> or <see cref="ErrorCodes.OnlineStoreUnavailable"/>, for the part that did not answer.
    /// </exception>
    public async Task<long> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            if ((await GetRegistryAsync(cancellationToken)).Version > 0)
            {
                // Asks for the version: a registry that stopped answering fails here even while the cache is fresh.
                await Registry.RefreshAsync(cancellationToken);
            }
        }
        catch (Exception e) when (e is not GranaryException and not OperationCanceledException)
        {
            throw new GranaryException(ErrorCodes.RegistryUnavailable, $"The registry does not answer: {e.Message}", e);
        }

        try
        {
            await Online.InitializeAsync(cancellationToken);
            await Online.GetWatermarkAsync(ProbeView, cancellationToken);
        }
        catch (Exception e) when (e is not GranaryException and not OperationCanceledException)
        {
            throw new GranaryException(ErrorCodes.OnlineStoreUnavailable, $"The {Online.Name} online store does not answer: {e.Message}", e);
        }

        return (await GetRegistryAsync(cancellationToken)).Version;
    }

    /// <summary>Reads and validates the repository's YAML, then computes what an apply would change. Changes nothing.</summary>
    /// <exception cref="DefinitionException">The definitions have mistakes; every one is listed with file and line.</exception>
    public Task<RegistryPlan> PlanAsync(CancellationToken cancellationToken = default) => PlanAsync(ApplyOptions.Default, cancellationToken);

    /// <summary>
    /// Reads and validates the repository's YAML, then computes what an apply with <paramref name="options"/> would
    /// change, in the registry and in its catalog (<see cref="RegistryPlan.CatalogChanges"/>). Changes nothing.
    /// </summary>
    /// <exception cref="DefinitionException">The definitions have mistakes; every one is listed with file and line.</exception>
    public async Task<RegistryPlan> PlanAsync(ApplyOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var loaded = RepositoryLoader.Load(Config);
        var diagnostics = new DiagnosticBag();
        foreach (var d in loaded.Diagnostics)
        {
            diagnostics.Add(d.Code, d.Message, d.Location);
        }

        return await PlanAsync(loaded.Definitions, loaded.Locations, diagnostics, options, cancellationToken, loaded.Recipes);
    }

    /// <summary>Validates code-first definitions (see <c>RepositoryBuilder</c>) and computes what an apply would change.</summary>
    public Task<RegistryPlan> PlanAsync(DefinitionSet definitions, DefinitionLocations? locations = null, CancellationToken cancellationToken = default) =>
        PlanAsync(definitions, locations ?? DefinitionLocations.None, new DiagnosticBag(), ApplyOptions.Default, cancellationToken);

    /// <summary>Validates code-first definitions and computes what an apply with <paramref name="options"/> would change.</summary>
    public Task<RegistryPlan> PlanAsync(DefinitionSet definitions, ApplyOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return PlanAsync(definitions, DefinitionLocations.None, new DiagnosticBag(), options, cancellationToken);
    }

    /// <summary>Applies a plan atomically; fails with <see cref="ErrorCodes.RegistryConflict"/> if the registry moved since it was made.</summary>
    public async Task<ApplyResult> ApplyAsync(RegistryPlan plan, CancellationToken cancellationToken = default)
    {
        await EnsureInitializedAsync(cancellationToken);
        var version = await _store.ApplyAsync(plan.ToApplyRequest(AppliedBy, _options.TimeProvider.GetUtcNow()), cancellationToken);
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

    /// <summary>
    /// Plans and applies the repository's YAML in one step with <paramref name="options"/>; with
    /// <see cref="ApplyOptions.Promote"/> false a changed view's new version is staged, not served unversioned.
    /// </summary>
    public async Task<ApplyResult> ApplyAsync(ApplyOptions options, CancellationToken cancellationToken = default) =>
        await ApplyAsync(await PlanAsync(options, cancellationToken), cancellationToken);

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

    /// <summary>Every project applied to this repository's registry (a shared PostgreSQL registry may hold several), by name.</summary>
    public async Task<IReadOnlyList<RegistryProject>> ListProjectsAsync(CancellationToken cancellationToken = default)
    {
        if (RegistryNotCreatedYet)
        {
            return [];
        }

        await EnsureInitializedAsync(cancellationToken);
        return await _store.ListProjectsAsync(cancellationToken);
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

    public async ValueTask DisposeAsync()
    {
        // While the offline engine is still open: the sampled served rows still queued are written to the serving log.
        if (_servingSampler is not null)
        {
            await _servingSampler.DisposeAsync();
        }

        if (_exposures is not null)
        {
            await _exposures.DisposeAsync();
        }

        // First, while the registry store still answers: the uses served since the last flush are written.
        await Usage.DisposeAsync();
        await NewestEvents.DisposeAsync();
        Registry.Dispose();
        _registryReady.Dispose();
        _onlineReady.Dispose();
        await _store.DisposeAsync();
        await Offline.DisposeAsync();
        await Online.DisposeAsync();
    }

    /// <summary>
    /// Disposes synchronously, for <c>using</c> without <c>await</c>; prefer <see cref="DisposeAsync"/>. The disposal
    /// runs on the thread pool and the caller waits for it there, so it cannot deadlock on the caller's synchronization
    /// context (its continuations would otherwise need the very thread that is waiting).
    /// </summary>
    public void Dispose() => Task.Run(() => DisposeAsync().AsTask()).GetAwaiter().GetResult();

    private async Task<RegistryPlan> PlanAsync(
        DefinitionSet definitions, DefinitionLocations locations, DiagnosticBag diagnostics, ApplyOptions options, CancellationToken cancellationToken, IReadOnlyList<LoadedRecipe>? recipes = null)
    {
        // The validator completes stream feature views (their derived features): the plan is of what it returns.
        definitions = await new DefinitionValidator(definitions, locations, diagnostics, recipes).ValidateAsync(Offline.GetCapability<ISourceSchemaInspector>(), Config.RepositoryRoot, cancellationToken);
        diagnostics.ThrowIfAny();
        var registry = RegistryNotCreatedYet ? null : _store;
        var current = RegistrySnapshot.Empty(Project);
        if (registry is not null)
        {
            await EnsureInitializedAsync(cancellationToken);
            current = await registry.LoadAsync(Project, cancellationToken);
        }

        // zscore and minmax scale by the newest stored profiles, recorded with the views (none before the first apply).
        definitions = await new OnDemand.OnDemandStatisticsResolver(registry, Project, locations, diagnostics).ResolveAsync(definitions, cancellationToken);
        diagnostics.ThrowIfAny();

        var plan = RegistryPlanner.Plan(Project, definitions, current, catalog: null, AppliedBy, _options.TimeProvider.GetUtcNow(), options.Promote);

        // Pinned references (view@v1:feature) are checked against the versions the apply leaves, its own included.
        var versions = new List<CatalogVersion>(current.CatalogVersions);
        foreach (var write in plan.CatalogWrites)
        {
            if (write.NewVersion is { } added)
            {
                versions.Add(added);
            }
        }

        var catalog = new RegistryCatalog([], versions);
        new PinnedReferenceChecker(definitions, locations, diagnostics).Check(catalog);
        new ExperimentVersionChecker(definitions, locations, diagnostics).Check(catalog);
        diagnostics.ThrowIfAny();
        return plan with { Warnings = [.. Config.Warnings, .. diagnostics.Warnings] };
    }

    private string AppliedBy => _options.AppliedBy ?? $"{Environment.UserName}@{Environment.MachineName}";

    /// <summary>
    /// True while an embedded registry file does not exist: reads then see an empty registry without creating the
    /// file, so plan, list and history change nothing on disk. The first apply creates it.
    /// </summary>
    private bool RegistryNotCreatedYet => !_registryReady.IsDone && _store.FilePath is { } path && !File.Exists(path);

    private ValueTask EnsureInitializedAsync(CancellationToken cancellationToken) => _registryReady.EnsureAsync(cancellationToken);
}
