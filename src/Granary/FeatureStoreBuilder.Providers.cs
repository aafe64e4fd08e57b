using Granary.Contracts.Errors;
using Granary.Core.Providers;
using Granary.Offline;
using Granary.Online;
using Granary.Online.Caching;
using Granary.Registry.Configuration;
using Granary.Registry.Storage;
using Granary.Registry.Validation;

namespace Granary;

// Choosing each part's provider by its section's type, checking the sections, creating and wrapping the parts.
public sealed partial class FeatureStoreBuilder
{
    private (RepositoryConfig Config, Selection Parts) ReadConfiguration()
    {
        Selection? parts = null;
        if (_repositoryPath is not null)
        {
            // Checked while the file is read, so the parser's mistakes and the providers' are reported together.
            var loaded = ConfigParser.Load(_repositoryPath, _variables, (config, diagnostics) => parts = Select(config, diagnostics), _environmentName);
            return (loaded, parts!);
        }

        var diagnostics = new DiagnosticBag();
        parts = Select(_config!, diagnostics);
        diagnostics.ThrowIfAny();
        return (_config! with { Warnings = [.. _config!.Warnings, .. diagnostics.Warnings] }, parts);
    }

    private Selection Select(RepositoryConfig config, DiagnosticBag diagnostics) => new(
        _registryProviders.Select(config.Registry, diagnostics),
        _offlineProviders.Select(config.OfflineStore, diagnostics),
        _onlineProviders.Select(config.OnlineStore, diagnostics));

    private (IRegistryStore Registry, IOfflineEngine Offline, IOnlineStore Online) Create(Selection parts, ProviderContext context)
    {
        // Creating is cheap (stores connect on first use), but a provider or a wrapper may still throw: what was
        // created before it is disposed rather than left for the finalizer.
        var created = new List<IAsyncDisposable>(3);
        try
        {
            var registry = Create(parts.Registry!, _registryWrappers, context, created);
            var offline = Create(parts.Offline!, _offlineWrappers, context, created);
            var online = Create(parts.Online!, _onlineWrappers, context, created, Cached);
            return (registry, offline, online);
        }
        catch
        {
            foreach (var part in created)
            {
                part.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            throw;
        }
    }

    // The read cache sits right over the provider's store, under the host's wrappers: what they time and count is
    // what a caller waits for, hits included.
    private static IOnlineStore Cached(IOnlineStore store, object? shared, ProviderContext context) =>
        shared is OnlineCacheOptions cache
            ? new CachedOnlineStore(store, cache, context.TimeProvider, OnlineCacheMetrics.For(context.MeterFactory))
            : store;

    private static TStore Create<TStore>(
        Chosen<TStore> chosen,
        List<Func<TStore, TStore>> wrappers,
        ProviderContext context,
        List<IAsyncDisposable> created,
        Func<TStore, object?, ProviderContext, TStore>? applyShared = null)
        where TStore : class, IAsyncDisposable
    {
        var store = chosen.Provider.Create(chosen.Options, context);
        created.Add(store);
        if (applyShared is not null)
        {
            store = applyShared(store, chosen.Shared, context);
            created[^1] = store;
        }

        foreach (var wrap in wrappers)
        {
            store = wrap(store) ?? throw new InvalidOperationException($"A {typeof(TStore).Name} wrapper returned null.");
            created[^1] = store;
        }

        return store;
    }

    /// <summary>A provider with the options it read from its section, and the options of the keys every type of the section shares.</summary>
    private sealed record Chosen<TStore>(IStoreProvider<TStore> Provider, object Options, object? Shared)
        where TStore : class;

    /// <summary>The three parts' choices; each null only when its section had a mistake, which fails the build.</summary>
    private sealed record Selection(Chosen<IRegistryStore>? Registry, Chosen<IOfflineEngine>? Offline, Chosen<IOnlineStore>? Online);

    /// <summary>
    /// The providers of one section, by type, in the order registered (built-ins first): the order errors list them in.
    /// <paramref name="readShared"/> reads the keys the builder itself acts on whatever the type (the online store's
    /// cache keys), so they are known keys of every provider's section.
    /// </summary>
    private sealed class Registrations<TStore>(string sectionName, Func<StoreOptionsReader, object?>? readShared = null)
        where TStore : class
    {
        private readonly List<IStoreProvider<TStore>> _providers = [];

        public void Add(IStoreProvider<TStore> provider)
        {
            ArgumentNullException.ThrowIfNull(provider);
            ArgumentException.ThrowIfNullOrWhiteSpace(provider.Type, nameof(provider));
            var index = _providers.FindIndex(p => string.Equals(p.Type, provider.Type, StringComparison.Ordinal));
            if (index >= 0)
            {
                _providers[index] = provider;
            }
            else
            {
                _providers.Add(provider);
            }
        }

        /// <summary>Finds the section's provider and lets it read its options; every mistake goes to <paramref name="diagnostics"/>.</summary>
        public Chosen<TStore>? Select(StoreSection section, DiagnosticBag diagnostics)
        {
            var provider = _providers.Find(p => string.Equals(p.Type, section.Type, StringComparison.Ordinal));
            if (provider is null)
            {
                diagnostics.Add(ErrorCodes.InvalidConfig, $"Unknown {sectionName} type '{section.Type}'; expected {Types()}.", section.TypeLocation);
                return null;
            }

            var reader = new StoreOptionsReader(sectionName, section);
            var shared = readShared?.Invoke(reader);
            var options = provider.ReadOptions(reader);
            reader.ReportUnknownKeys();
            foreach (var error in reader.Errors)
            {
                diagnostics.Add(error.Code, error.Message, error.Location);
            }

            foreach (var warning in reader.Warnings)
            {
                diagnostics.AddWarning(warning.Code, warning.Message, warning.Location);
            }

            if (reader.HasErrors)
            {
                return null;
            }

            if (options is null)
            {
                diagnostics.Add(ErrorCodes.InvalidConfig, $"The {section.Type} provider did not accept '{sectionName}' and said nothing why.", section.Location);
                return null;
            }

            return new Chosen<TStore>(provider, options, shared);
        }

        private string Types()
        {
            var types = _providers.ConvertAll(p => p.Type);
            return types.Count <= 1 ? string.Join("", types) : $"{string.Join(", ", types[..^1])} or {types[^1]}";
        }
    }
}
