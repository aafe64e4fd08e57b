using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Granary;

/// <summary>What a <see cref="FeatureStoreBuilder"/> decided besides the parts: the store's clock, hosts' logging and metrics, and its options.</summary>
internal sealed record FeatureStoreSettings
{
    public required TimeSpan RegistryRefreshInterval { get; init; }

    public string? AppliedBy { get; init; }

    /// <summary>The clock behind ttl checks, push timestamps and registry refreshes.</summary>
    public required TimeProvider TimeProvider { get; init; }

    public required ILoggerFactory LoggerFactory { get; init; }

    public IMeterFactory? MeterFactory { get; init; }

    /// <summary>How automatic usage recording batches.</summary>
    public Governance.UsageRecorderOptions Usage { get; init; } = Governance.UsageRecorderOptions.Default;

    /// <summary>The C# functions on-demand features may name.</summary>
    public OnDemand.OnDemandFunctions OnDemandFunctions { get; init; } = OnDemand.OnDemandFunctions.None;
}
