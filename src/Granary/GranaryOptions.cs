namespace Granary;

/// <summary>
/// How a <see cref="FeatureStore"/> is opened; bind from configuration or set in <c>AddGranary</c>. The host's
/// clock, logging and metrics are not options: give them to a <see cref="FeatureStoreBuilder"/> (<c>AddGranary</c>
/// takes them from the service provider).
/// </summary>
public sealed class GranaryOptions
{
    /// <summary>The feature repository folder (the one holding <c>granary.yaml</c>).</summary>
    public string RepositoryPath { get; set; } = ".";

    /// <summary>How often readers check the registry for a newer version.</summary>
    public TimeSpan RegistryRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Who applies, recorded in the registry's history; defaults to <c>user@host</c>.</summary>
    public string? AppliedBy { get; set; }
}
