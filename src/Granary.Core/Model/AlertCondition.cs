using System.Globalization;

namespace Granary.Core.Model;

/// <summary>The one condition under an alert's <c>when:</c>, with its threshold where it has one.</summary>
/// <param name="Kind">What is watched.</param>
/// <param name="Severity">For <see cref="AlertConditionKind.DriftSeverity"/>: <c>low</c>, <c>medium</c> or <c>high</c>.</param>
/// <param name="Threshold">For <see cref="AlertConditionKind.ConsistencyBelow"/>: the share (0..1) below which it fires.</param>
public sealed record AlertCondition(AlertConditionKind Kind, string? Severity = null, double? Threshold = null)
{
    /// <summary>The YAML keys, in the order of <see cref="AlertConditionKind"/>.</summary>
    internal static readonly string[] Keys = ["drift_severity", "stale", "very_stale", "validation_failed", "consistency_below"];

    /// <summary>Drift severities from least to most severe.</summary>
    internal static readonly string[] Severities = ["low", "medium", "high"];

    /// <summary>The key the condition is written with (<c>drift_severity</c>, <c>stale</c>, ...).</summary>
    public string Key => Keys[(int)Kind];

    /// <summary>What is wrong with the condition (a severity or share out of range), or null when it can be watched.</summary>
    internal string? Problem() => Kind switch
    {
        AlertConditionKind.DriftSeverity when Array.IndexOf(Severities, Severity) < 0 =>
            $"'drift_severity' is '{Severity}'; expected low, medium or high",
        AlertConditionKind.ConsistencyBelow when Threshold is not (> 0 and <= 1) =>
            "'consistency_below' needs a share above 0 and at most 1, such as 0.99",
        _ when (int)Kind < 0 || (int)Kind >= Keys.Length => $"unknown condition {Kind}",
        _ => null,
    };

    /// <summary>The condition as written, for plans, logs and webhook bodies (<c>drift_severity: high</c>).</summary>
    public override string ToString() => Kind switch
    {
        AlertConditionKind.DriftSeverity => $"{Key}: {Severity}",
        AlertConditionKind.ConsistencyBelow => $"{Key}: {Threshold!.Value.ToString(CultureInfo.InvariantCulture)}",
        _ => $"{Key}: true",
    };
}
