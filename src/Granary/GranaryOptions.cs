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

    /// <summary>
    /// The environment whose <c>config/ENV.yaml</c> overlays <c>granary.yaml</c> (such as <c>prod</c>); when null, the one
    /// <c>GRANARY_ENV</c> names, if any.
    /// </summary>
    public string? Environment { get; set; }

    /// <summary>How often readers check the registry for a newer version.</summary>
    public TimeSpan RegistryRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Who applies, recorded in the registry's history; defaults to <c>user@host</c>.</summary>
    public string? AppliedBy { get; set; }

    /// <summary>How often the usage of served feature services is written to the catalog, folded into one row per feature version and model.</summary>
    public TimeSpan UsageFlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The most usage rows one write carries.</summary>
    public int UsageBatchSize { get; set; } = 500;

    /// <summary>The environment automatic usage records name: <c>dev</c>, <c>staging</c> or <c>production</c>.</summary>
    public string UsageEnvironment { get; set; } = "production";

    /// <summary>How many served feature-service reads may wait for the next usage flush; beyond it uses are dropped and counted.</summary>
    public int UsageQueueCapacity { get; set; } = 65_536;
}
