namespace Granary;

/// <summary>How a <see cref="FeatureStore"/> is opened; bind from configuration or set in <c>AddGranary</c>.</summary>
public sealed class GranaryOptions
{
    /// <summary>The feature repository folder (the one holding <c>granary.yaml</c>).</summary>
    public string RepositoryPath { get; set; } = ".";

    /// <summary>How often readers check the registry for a newer version.</summary>
    public TimeSpan RegistryRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Who applies, recorded in the registry's history; defaults to <c>user@host</c>.</summary>
    public string? AppliedBy { get; set; }

    /// <summary>The clock that decides whether online values are past their ttl; the system clock by default.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
