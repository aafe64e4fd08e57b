using Granary.Core.Providers;
using Granary.Online.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Granary.Online.Embedded;

/// <summary>Registers <c>online_store: {type: embedded, path: FILE}</c>: <see cref="EmbeddedOnlineStore"/>.</summary>
internal sealed class EmbeddedOnlineStoreProvider : StoreProvider<IOnlineStore, EmbeddedOnlineStoreOptions>
{
    public const string TypeName = "embedded";

    public override string Type => TypeName;

    public override EmbeddedOnlineStoreOptions ReadOptions(StoreOptionsReader reader) =>
        new() { Path = reader.Optional("path") ?? EmbeddedOnlineStoreOptions.DefaultPath };

    public override IOnlineStore Create(EmbeddedOnlineStoreOptions options, ProviderContext context) =>
        new TracedOnlineStore(new EmbeddedOnlineStore(context.ResolvePath(options.Path), EmbeddedOnlineStore.DefaultRefreshInterval, context.LoggerFactory.CreateLogger<EmbeddedOnlineStore>()));
}
