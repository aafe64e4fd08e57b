using System.Globalization;
using Granary.Core.Model;

namespace Granary.Quality.Drift;

/// <summary>What to do about a feature's drift, in plain words, from what moved and by how much.</summary>
internal static class DriftRecommendations
{
    public static IReadOnlyList<string> For(FeatureDrift drift, DriftThresholds thresholds, DriftCategoryChanges categories)
    {
        if (drift.BaselineCount == 0)
        {
            return ["The baseline holds no values of this feature; choose a baseline range or dataset that has some."];
        }

        if (drift.CurrentCount == 0)
        {
            return ["The current range holds no values of this feature; check that its source is still being written."];
        }

        if (drift.Severity == DriftSeverity.None)
        {
            return ["Stable: the current distribution is consistent with the baseline."];
        }

        var advice = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"Drift detected ({Name(drift.Severity)} severity)."),
        };

        if (drift.MeanShift > thresholds.Shifts.Medium)
        {
            advice.Add(string.Create(CultureInfo.InvariantCulture,
                $"The mean moved by {Percent(drift.MeanShift.Value)}: review the feature's computation and look for a change in its source data (units, defaults, a new upstream)."));
        }

        if (drift.StdShift > thresholds.Shifts.Medium)
        {
            advice.Add(string.Create(CultureInfo.InvariantCulture,
                $"The spread changed by {Percent(drift.StdShift.Value)}: look for new outliers, clipping, or missing values filled with a constant."));
        }

        if (categories.Appeared > 0)
        {
            advice.Add(string.Create(CultureInfo.InvariantCulture,
                $"{categories.Appeared} categor{(categories.Appeared == 1 ? "y" : "ies")} appeared that the baseline lacks (for example '{categories.AppearedExample}'): check upstream for new codes and how models treat unseen values."));
        }

        if (categories.Vanished > 0)
        {
            advice.Add(string.Create(CultureInfo.InvariantCulture,
                $"{categories.Vanished} baseline categor{(categories.Vanished == 1 ? "y is" : "ies are")} missing now (for example '{categories.VanishedExample}'): check whether a source stopped sending them."));
        }

        double? pValue = drift.IsCategorical ? drift.Chi2PValue : drift.KsPValue;
        if (pValue < thresholds.PValues.High)
        {
            advice.Add("The distribution differs significantly from the baseline: consider retraining the models that use this feature, and re-examine its feature engineering.");
        }

        advice.Add("Keep watching this feature: compare it again after the next materialization and alert on further change.");
        return advice;
    }

    private static string Percent(double shift) =>
        double.IsPositiveInfinity(shift) ? "an unbounded amount (the baseline is constant at 0)" : shift.ToString("P0", CultureInfo.InvariantCulture);

    private static string Name(DriftSeverity severity) => severity.ToString().ToLowerInvariant();
}
