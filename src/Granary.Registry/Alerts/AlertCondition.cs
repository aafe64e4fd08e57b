using System.Globalization;

namespace Granary.Registry.Alerts;

/// <summary>The one condition under an alert's <c>when:</c>, with its threshold where it has one.</summary>
/// <param name="Kind">What is watched.</param>
/// <param name="Severity">For <see cref="AlertConditionKind.DriftSeverity"/>: <c>low</c>, <c>medium</c> or <c>high</c>.</param>
/// <param name="Threshold">For <see cref="AlertConditionKind.ConsistencyBelow"/>: the share (0..1) below which it fires.</param>
internal sealed record AlertCondition(AlertConditionKind Kind, string? Severity = null, double? Threshold = null)
{
    /// <summary>The YAML keys, in the order of <see cref="AlertConditionKind"/>.</summary>
    public static readonly string[] Keys = ["drift_severity", "stale", "very_stale", "validation_failed", "consistency_below"];

    /// <summary>Drift severities from least to most severe.</summary>
    public static readonly string[] Severities = ["low", "medium", "high"];

    /// <summary>The key the condition is written with (<c>drift_severity</c>, <c>stale</c>, ...).</summary>
    public string Key => Keys[(int)Kind];

    /// <summary>The condition as written, for plans, logs and webhook bodies (<c>drift_severity: high</c>).</summary>
    public override string ToString() => Kind switch
    {
        AlertConditionKind.DriftSeverity => $"{Key}: {Severity}",
        AlertConditionKind.ConsistencyBelow => $"{Key}: {Threshold!.Value.ToString(CultureInfo.InvariantCulture)}",
        _ => $"{Key}: true",
    };
}
