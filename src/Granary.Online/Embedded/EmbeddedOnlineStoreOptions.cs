namespace Granary.Online.Embedded;

/// <summary>The options of <c>online_store: {type: embedded}</c>, the default store: one file, served from memory.</summary>
public sealed class EmbeddedOnlineStoreOptions
{
    /// <summary>Where the file is when <c>path</c> is not given, relative to the repository root.</summary>
    public const string DefaultPath = "data/online.db";

    /// <summary><c>path</c>: the store's file, relative to the repository root.</summary>
    public string Path { get; set; } = DefaultPath;
}
