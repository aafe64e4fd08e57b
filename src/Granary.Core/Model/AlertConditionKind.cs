namespace Granary.Core.Model;

/// <summary>What an alert watches; each is written as one key under <c>when:</c>.</summary>
public enum AlertConditionKind
{
    /// <summary><c>drift_severity: low|medium|high</c>: a feature drifts at least this much.</summary>
    DriftSeverity,

    /// <summary><c>stale: true</c>: the view is stale or very stale.</summary>
    Stale,

    /// <summary><c>very_stale: true</c>: the view is very stale.</summary>
    VeryStale,

    /// <summary><c>validation_failed: true</c>: a validation rule of the view fails.</summary>
    ValidationFailed,

    /// <summary><c>consistency_below: 0.99</c>: online and offline values agree less often than this share.</summary>
    ConsistencyBelow,
}
