using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Granary.Core.Providers;
using Granary.Governance;
using Granary.Offline;
using Granary.Offline.DuckDb;
using Granary.Offline.Postgres;
using Granary.Online;
using Granary.Online.Caching;
using Granary.Online.Embedded;
using Granary.Online.Redis;
using Granary.Registry.Configuration;
using Granary.Registry.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Granary;

/// <summary>
/// Composes a <see cref="FeatureStore"/>, as <c>NpgsqlDataSourceBuilder</c> composes a data source: from a
/// repository's <c>granary.yaml</c> or from a <see cref="RepositoryConfig"/> built in code, with the host's logging,
/// metrics and clock, wrappers around the parts, and the providers that turn each section's <c>type</c> into a store.
/// The CLI, the server, <c>AddGranary</c> and <see cref="FeatureStore.Open"/> all compose through it.
/// </summary>
/// <remarks>
/// <see cref="Build"/> checks every store section with its provider before it creates anything, so a mistake in any
/// of them fails the build with every mistake of the file, each at its line. The built-in providers (sqlite and
/// postgres registries, duckdb and postgres engines, embedded and redis online stores) are registered already; a
/// provider added for the same type replaces the built-in one.
/// </remarks>
public sealed partial class FeatureStoreBuilder
{
    private readonly string? _repositoryPath;
    private readonly RepositoryConfig? _config;
    private readonly Registrations<IRegistryStore> _registryProviders = new("registry");
    private readonly Registrations<IOfflineEngine> _offlineProviders = new("offline_store");
    private readonly Registrations<IOnlineStore> _onlineProviders = new("online_store", OnlineCacheSettings.Read);
    private readonly List<Func<IRegistryStore, IRegistryStore>> _registryWrappers = [];
    private readonly List<Func<IOfflineEngine, IOfflineEngine>> _offlineWrappers = [];
    private readonly List<Func<IOnlineStore, IOnlineStore>> _onlineWrappers = [];
    private ILoggerFactory _loggerFactory = NullLoggerFactory.Instance;
    private IMeterFactory? _meterFactory;
    private TimeProvider _timeProvider = TimeProvider.System;
    private UsageRecorderOptions _usage = UsageRecorderOptions.Default;
    private TimeSpan _registryRefreshInterval = new GranaryOptions().RegistryRefreshInterval;
    private string? _appliedBy;
    private Func<string, string?> _variables = Environment.GetEnvironmentVariable;
    private string? _environmentName;
    private readonly Dictionary<string, OnDemand.OnDemandFunction> _onDemandFunctions = new(StringComparer.Ordinal);

    /// <summary>A builder over the repository at <paramref name="repositoryPath"/>; its <c>granary.yaml</c> is read by <see cref="Build"/>.</summary>
    public FeatureStoreBuilder(string repositoryPath)
        : this()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repositoryPath);
        _repositoryPath = repositoryPath;
    }

    /// <summary>A builder over a configuration made in code; its store sections are checked by <see cref="Build"/> as a file's are.</summary>
    public FeatureStoreBuilder(RepositoryConfig config)
        : this()
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
    }

    private FeatureStoreBuilder()
    {
        _registryProviders.Add(new SqliteRegistryStoreProvider());
        _registryProviders.Add(new PostgresRegistryStoreProvider());
        _offlineProviders.Add(new DuckDbOfflineEngineProvider());
        _offlineProviders.Add(new PostgresOfflineEngineProvider());
        _onlineProviders.Add(new EmbeddedOnlineStoreProvider());
        _onlineProviders.Add(new RedisOnlineStoreProvider());
    }

    /// <summary>The loggers the store and its providers write to; none by default.</summary>
    public FeatureStoreBuilder UseLoggerFactory(ILoggerFactory? loggerFactory)
    {
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        return this;
    }

    /// <summary>The meters the store and its providers create instruments on, so a host's metrics stay its own.</summary>
    public FeatureStoreBuilder UseMeterFactory(IMeterFactory? meterFactory)
    {
        _meterFactory = meterFactory;
        return this;
    }

    /// <summary>The clock that decides whether online values are past their ttl, dates pushed rows and paces registry refreshes.</summary>
    public FeatureStoreBuilder UseTimeProvider(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        return this;
    }

    /// <summary>How often readers check the registry for a newer version (5 seconds by default).</summary>
    public FeatureStoreBuilder UseRegistryRefreshInterval(TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        _registryRefreshInterval = interval;
        return this;
    }

    /// <summary>Who applies, recorded in the registry's history; <c>user@host</c> when null.</summary>
    public FeatureStoreBuilder UseAppliedBy(string? appliedBy)
    {
        _appliedBy = appliedBy;
        return this;
    }

    /// <summary>
    /// Takes <see cref="GranaryOptions.RegistryRefreshInterval"/>, <see cref="GranaryOptions.AppliedBy"/>,
    /// <see cref="GranaryOptions.Environment"/> and the <c>Usage*</c> settings; the repository is the builder's own.
    /// </summary>
    public FeatureStoreBuilder UseOptions(GranaryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _usage = UsageRecorderOptions.From(options);
        return UseRegistryRefreshInterval(options.RegistryRefreshInterval).UseAppliedBy(options.AppliedBy).UseEnvironment(options.Environment);
    }

    /// <summary>
    /// The environment whose <c>config/ENV.yaml</c> (after <c>config/base.yaml</c>) overlays <c>granary.yaml</c>, such as
    /// <c>prod</c>; when null, the one the <c>GRANARY_ENV</c> environment variable names, if any. A named environment
    /// without its file fails <see cref="Build"/>. A configuration built in code has no overlays.
    /// </summary>
    public FeatureStoreBuilder UseEnvironment(string? environment)
    {
        _environmentName = string.IsNullOrWhiteSpace(environment) ? null : environment;
        return this;
    }

    /// <summary>
    /// Wraps the registry store the provider creates (to time it, count it, inject faults). Wrappers apply in the
    /// order added, the first innermost; the store disposes the outermost, which disposes what it wraps.
    /// </summary>
    [Experimental(ProviderDiagnostics.ExperimentalId)]
    public FeatureStoreBuilder WrapRegistryStore(Func<IRegistryStore, IRegistryStore> wrap) => Add(_registryWrappers, wrap);

    /// <summary>Wraps the offline engine the provider creates; see <see cref="WrapRegistryStore"/> for the order.</summary>
    [Experimental(ProviderDiagnostics.ExperimentalId)]
    public FeatureStoreBuilder WrapOfflineEngine(Func<IOfflineEngine, IOfflineEngine> wrap) => Add(_offlineWrappers, wrap);

    /// <summary>Wraps the online store the provider creates (the server times its reads this way); see <see cref="WrapRegistryStore"/> for the order.</summary>
    [Experimental(ProviderDiagnostics.ExperimentalId)]
    public FeatureStoreBuilder WrapOnlineStore(Func<IOnlineStore, IOnlineStore> wrap) => Add(_onlineWrappers, wrap);

    /// <summary>Registers a registry store for <c>registry: {type: ...}</c>, replacing any provider of the same type.</summary>
    [Experimental(ProviderDiagnostics.ExperimentalId)]
    public FeatureStoreBuilder AddRegistryStoreProvider(IStoreProvider<IRegistryStore> provider)
    {
        _registryProviders.Add(provider);
        return this;
    }

    /// <summary>Registers an offline engine for <c>offline_store: {type: ...}</c>, replacing any provider of the same type.</summary>
    [Experimental(ProviderDiagnostics.ExperimentalId)]
    public FeatureStoreBuilder AddOfflineEngineProvider(IStoreProvider<IOfflineEngine> provider)
    {
        _offlineProviders.Add(provider);
        return this;
    }

    /// <summary>Registers an online store for <c>online_store: {type: ...}</c>, replacing any provider of the same type.</summary>
    [Experimental(ProviderDiagnostics.ExperimentalId)]
    public FeatureStoreBuilder AddOnlineStoreProvider(IStoreProvider<IOnlineStore> provider)
    {
        _onlineProviders.Add(provider);
        return this;
    }

    /// <summary>Reads and checks the configuration, creates each part through its provider, wraps it and composes the store.</summary>
    /// <exception cref="Core.Errors.GranaryException">There is no <c>granary.yaml</c> at the repository path.</exception>
    /// <exception cref="Core.Errors.DefinitionException">The configuration has mistakes; each names its line in <c>granary.yaml</c>.</exception>
    public FeatureStore Build()
    {
        var (config, parts) = ReadConfiguration();
        var context = new ProviderContext
        {
            Project = config.Project,
            RepositoryRoot = config.RepositoryRoot,
            LoggerFactory = _loggerFactory,
            MeterFactory = _meterFactory,
            TimeProvider = _timeProvider,
        };
        var (registry, offline, online) = Create(parts, context);
        return new FeatureStore(config, registry, offline, online, new FeatureStoreSettings
        {
            RegistryRefreshInterval = _registryRefreshInterval,
            AppliedBy = _appliedBy,
            TimeProvider = _timeProvider,
            LoggerFactory = _loggerFactory,
            MeterFactory = _meterFactory,
            Usage = _usage,
            OnDemandFunctions = new OnDemand.OnDemandFunctions(_onDemandFunctions.ToFrozenDictionary(StringComparer.Ordinal)),
        });
    }

    /// <summary>
    /// Registers the C# function that on-demand features with <c>function: NAME</c> are computed by. A feature naming a
    /// function not registered fails when it is read, with an error naming it; registering a name twice replaces it.
    /// </summary>
    public FeatureStoreBuilder AddOnDemandFunction(string name, OnDemand.OnDemandFunction function)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(function);
        _onDemandFunctions[name] = function;
        return this;
    }

    /// <summary>Where <c>${VAR}</c> and <c>GRANARY_ENV</c> are looked up; the process environment unless a test says otherwise.</summary>
    internal FeatureStoreBuilder UseVariables(Func<string, string?> variables)
    {
        _variables = variables;
        return this;
    }

    /// <summary>
    /// The configuration, checked by every provider as <see cref="Build"/> checks it, without creating any store:
    /// what <c>granary config show</c> prints.
    /// </summary>
    internal RepositoryConfig ReadCheckedConfiguration() => ReadConfiguration().Config;

    private FeatureStoreBuilder Add<T>(List<Func<T, T>> wrappers, Func<T, T> wrap)
    {
        ArgumentNullException.ThrowIfNull(wrap);
        wrappers.Add(wrap);
        return this;
    }
}
