namespace Granary.Registry.Configuration;

/// <summary>The contents of a repository's <c>granary.yaml</c>, with paths resolved and variables expanded.</summary>
public sealed record RepositoryConfig
{
    /// <summary>The file name every repository has at its root.</summary>
    public const string FileName = "granary.yaml";

    /// <summary>The project name; registry objects are scoped to it.</summary>
    public required string Project { get; init; }

    /// <summary>The absolute path of the repository root.</summary>
    public required string RepositoryRoot { get; init; }

    public required RegistryConfig Registry { get; init; }

    public StoreConfig OfflineStore { get; init; } = StoreConfig.DuckDb;

    public StoreConfig OnlineStore { get; init; } = StoreConfig.Embedded;
}
