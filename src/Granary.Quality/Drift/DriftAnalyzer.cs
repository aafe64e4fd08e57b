using Granary.Core.Model;

namespace Granary.Quality.Drift;

/// <summary>
/// Compares one feature's current sample with its baseline: the statistics that apply to its type, the severity
/// by its thresholds, and recommendations.
/// </summary>
internal static class DriftAnalyzer
{
    public static FeatureDrift Compare(string name, DriftSample baseline, DriftSample current, DriftThresholds thresholds)
    {
        if (baseline.IsCategorical != current.IsCategorical)
        {
            throw new ArgumentException($"Feature '{name}': a numeric sample cannot be compared with a categorical one.");
        }

        var drift = new FeatureDrift(name)
        {
            IsCategorical = baseline.IsCategorical,
            BaselineCount = baseline.Count,
            CurrentCount = current.Count,
        };
        var categories = DriftCategoryChanges.None;
        if (drift.BaselineCount > 0 && drift.CurrentCount > 0)
        {
            (drift, categories) = baseline.IsCategorical
                ? CompareCategorical(drift, baseline.CategoryCounts, current.CategoryCounts)
                : (CompareNumeric(drift, baseline.SortedValues, current.SortedValues), categories);
            double? pValue = drift.IsCategorical ? drift.Chi2PValue : drift.KsPValue;
            drift = drift with { Severity = DriftSeverityRules.Classify(pValue, drift.MeanShift, drift.StdShift, thresholds) };
        }

        return drift with { Recommendations = DriftRecommendations.For(drift, thresholds, categories) };
    }

    private static FeatureDrift CompareNumeric(FeatureDrift drift, double[] baseline, double[] current)
    {
        var ks = KolmogorovSmirnov.Test(baseline, current);
        var cuts = DecileBins.CutPoints(baseline);
        var baselineBins = DecileBins.Count(baseline, cuts);
        var currentBins = DecileBins.Count(current, cuts);
        var (meanShift, stdShift) = DistributionShift.Compute(baseline, current);
        return drift with
        {
            KsStatistic = ks.Statistic,
            KsPValue = ks.PValue,
            KsExact = ks.Exact,
            Psi = PopulationStabilityIndex.Compute(baselineBins, currentBins),
            JsDistance = JensenShannon.Distance(baselineBins, currentBins),
            MeanShift = meanShift,
            StdShift = stdShift,
        };
    }

    private static (FeatureDrift, DriftCategoryChanges) CompareCategorical(
        FeatureDrift drift, IReadOnlyDictionary<string, long> baseline, IReadOnlyDictionary<string, long> current)
    {
        // One column per category seen on either side, in ordinal order so that results do not depend on hashing.
        var names = new SortedSet<string>(baseline.Keys, StringComparer.Ordinal);
        names.UnionWith(current.Keys);
        var baselineCounts = new long[names.Count];
        var currentCounts = new long[names.Count];
        int appeared = 0, vanished = 0, i = 0;
        string? appearedExample = null, vanishedExample = null;
        foreach (var category in names)
        {
            baselineCounts[i] = baseline.GetValueOrDefault(category);
            currentCounts[i] = current.GetValueOrDefault(category);
            if (baselineCounts[i] == 0)
            {
                appeared++;
                appearedExample ??= category;
            }
            else if (currentCounts[i] == 0)
            {
                vanished++;
                vanishedExample ??= category;
            }

            i++;
        }

        var chi2 = ChiSquareTest.Homogeneity(baselineCounts, currentCounts);
        return (drift with
        {
            Psi = PopulationStabilityIndex.Compute(baselineCounts, currentCounts),
            JsDistance = JensenShannon.Distance(baselineCounts, currentCounts),
            Chi2Statistic = chi2.Statistic,
            Chi2PValue = chi2.PValue,
        }, new DriftCategoryChanges(appeared, appearedExample, vanished, vanishedExample));
    }
}
