namespace Granary.Core.Model;

/// <summary>
/// When a feature's drift counts as low, medium or high (<c>drift:</c> on a schema field): a test's p-value below a
/// p-value threshold, or a relative mean or standard-deviation shift above a shift threshold.
/// </summary>
/// <param name="PValues">The p-value thresholds for low, medium and high, each below the one before.</param>
/// <param name="Shifts">The shift thresholds for low, medium and high, each above the one before.</param>
public sealed record DriftThresholds(DriftLevels PValues, DriftLevels Shifts)
{
    /// <summary>p &lt; 0.05 / 0.01 / 0.001 and shift &gt; 0.1 / 0.2 / 0.5.</summary>
    public static DriftThresholds Default { get; } = new(new DriftLevels(0.05, 0.01, 0.001), new DriftLevels(0.1, 0.2, 0.5));
}
