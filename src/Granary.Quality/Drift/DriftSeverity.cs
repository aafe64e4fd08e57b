namespace Granary.Quality.Drift;

/// <summary>How far a feature has drifted from its baseline, by the feature's <see cref="Core.Model.DriftThresholds"/>.</summary>
public enum DriftSeverity
{
    None,
    Low,
    Medium,
    High,
}
