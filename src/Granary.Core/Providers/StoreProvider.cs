using System.Diagnostics.CodeAnalysis;

namespace Granary.Core.Providers;

/// <summary>
/// A provider with typed options: <see cref="ReadOptions(StoreOptionsReader)"/> turns the section's keys into a
/// <typeparamref name="TOptions"/>, <see cref="Create(TOptions, ProviderContext)"/> makes the store from it. The keys
/// it reads are the keys it knows: a misspelling of one is an error, any other key a warning.
/// </summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public abstract class StoreProvider<TStore, TOptions> : IStoreProvider<TStore>
    where TStore : class
    where TOptions : class
{
    /// <inheritdoc />
    public abstract string Type { get; }

    /// <summary>Reads every key the provider knows; returns null after reporting a mistake through <paramref name="reader"/>.</summary>
    public abstract TOptions? ReadOptions(StoreOptionsReader reader);

    /// <summary>Creates the store.</summary>
    public abstract TStore Create(TOptions options, ProviderContext context);

    object? IStoreProvider<TStore>.ReadOptions(StoreOptionsReader reader) => ReadOptions(reader);

    TStore IStoreProvider<TStore>.Create(object options, ProviderContext context) => Create((TOptions)options, context);
}
