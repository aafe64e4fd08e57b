namespace Granary.Tests.Allocation;

/// <summary>The allocation repository with its served rows sampled into the serving log at 1% (a typical production rate).</summary>
public sealed class SampledAllocationRepository : AllocationRepository
{
    public const double Rate = 0.01;

    protected override string Monitoring => $"monitoring: {{serving_sample_rate: {Rate.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}\n";
}
