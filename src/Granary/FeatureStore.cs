using System.Reflection;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Sources;
using Granary.Online;
using Granary.OnlineServing;
using Granary.Offline;
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
public sealed partial class FeatureStore : IAsyncDisposable, IDisposable
{
    private readonly IRegistryStore _store;

    private readonly GranaryOptions _options;
    private readonly OnlineRetriever _retriever;
    private readonly AsyncOnce _registryReady;
    private readonly AsyncOnce _onlineReady;

    public FeatureStore(RepositoryConfig config, IRegistryStore store, IOfflineEngine offline, IOnlineStore online, GranaryOptions options)
    {
        Config = config;
        _store = store;
        Offline = offline;
        Online = online;
        _options = options;
        Registry = new RegistryCache(store, config.Project, options.RegistryRefreshInterval);
        _retriever = new OnlineRetriever(online, Registry, options.TimeProvider);
        _registryReady = new AsyncOnce(store.InitializeAsync);
        _onlineReady = new AsyncOnce(online.InitializeAsync);
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

    /// <summary>Granary's version, without build metadata: what <c>granary version</c> and Feast's <c>GetFeastServingInfo</c> report.</summary>
    public static string Version { get; } =
        typeof(FeatureStore).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

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
        Registry.Dispose();
        _registryReady.Dispose();
        _onlineReady.Dispose();
        await _store.DisposeAsync();
        await Offline.DisposeAsync();
        await Online.DisposeAsync();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task<RegistryPlan> PlanAsync(DefinitionSet definitions, DefinitionLocations locations, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        await new DefinitionValidator(definitions, locations, diagnostics).ValidateAsync(Offline.GetCapability<ISourceSchemaInspector>(), Config.RepositoryRoot, cancellationToken);
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

        return RegistryPlanner.Plan(Project, definitions, current) with { Warnings = diagnostics.Warnings };
    }

    private string AppliedBy => _options.AppliedBy ?? $"{Environment.UserName}@{Environment.MachineName}";

    /// <summary>
    /// True while an embedded registry file does not exist: reads then see an empty registry without creating the
    /// file, so plan, list and history change nothing on disk. The first apply creates it.
    /// </summary>
    private bool RegistryNotCreatedYet =>
        !_registryReady.IsDone && Config.Registry is { Type: RegistryConfig.Sqlite, Path: { } path } && !File.Exists(path);

    private ValueTask EnsureInitializedAsync(CancellationToken cancellationToken) => _registryReady.EnsureAsync(cancellationToken);
}
