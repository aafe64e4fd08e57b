using System.Diagnostics.CodeAnalysis;

namespace Granary.Core.Providers;

/// <summary>
/// Creates one kind of store (<typeparamref name="TStore"/>: a registry store, an offline engine, an online store)
/// for one <c>type</c> in <c>granary.yaml</c>. The <c>FeatureStoreBuilder</c> holds one provider per type and asks
/// it twice: first to read and check its options from the section (every section of the file is checked before
/// anything is created, so one run shows every mistake), then to create the store from the options it read.
/// Derive from <see cref="StoreProvider{TStore, TOptions}"/> rather than implementing this directly.
/// </summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public interface IStoreProvider<out TStore>
    where TStore : class
{
    /// <summary>The <c>type</c> that selects this provider, e.g. <c>redis</c>.</summary>
    string Type { get; }

    /// <summary>Reads the provider's options through <paramref name="reader"/>; null when a mistake was reported.</summary>
    object? ReadOptions(StoreOptionsReader reader);

    /// <summary>Creates the store from options <see cref="ReadOptions"/> returned. Cheap: connecting happens on first use.</summary>
    TStore Create(object options, ProviderContext context);
}
