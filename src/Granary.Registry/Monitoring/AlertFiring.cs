namespace Granary.Registry.Monitoring;

/// <summary>The last time an alert fired for one view and condition, which its cool-down is measured from.</summary>
/// <param name="Alert">The alert's name.</param>
/// <param name="View">The feature view it fired for.</param>
/// <param name="Condition">The condition as written (<c>stale: true</c>, <c>drift_severity: high</c>).</param>
/// <param name="FiredAt">When it last fired.</param>
public sealed record AlertFiring(string Alert, string View, string Condition, DateTimeOffset FiredAt);
