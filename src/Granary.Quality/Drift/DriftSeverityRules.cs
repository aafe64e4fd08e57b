using Granary.Core.Model;

namespace Granary.Quality.Drift;

/// <summary>
/// A feature's severity: the highest level that its test's p-value (below a p-value threshold) or either relative
/// shift (above a shift threshold) reaches.
/// </summary>
internal static class DriftSeverityRules
{
    public static DriftSeverity Classify(double? pValue, double? meanShift, double? stdShift, DriftThresholds thresholds)
    {
        var severity = DriftSeverity.None;
        if (pValue is { } p)
        {
            severity = Max(severity, FromPValue(p, thresholds.PValues));
        }

        foreach (var shift in (ReadOnlySpan<double?>)[meanShift, stdShift])
        {
            if (shift is { } s)
            {
                severity = Max(severity, FromShift(s, thresholds.Shifts));
            }
        }

        return severity;
    }

    internal static DriftSeverity FromPValue(double p, DriftLevels levels) =>
        p < levels.High ? DriftSeverity.High
        : p < levels.Medium ? DriftSeverity.Medium
        : p < levels.Low ? DriftSeverity.Low
        : DriftSeverity.None;

    internal static DriftSeverity FromShift(double shift, DriftLevels levels) =>
        shift > levels.High ? DriftSeverity.High
        : shift > levels.Medium ? DriftSeverity.Medium
        : shift > levels.Low ? DriftSeverity.Low
        : DriftSeverity.None;

    private static DriftSeverity Max(DriftSeverity a, DriftSeverity b) => a >= b ? a : b;
}
