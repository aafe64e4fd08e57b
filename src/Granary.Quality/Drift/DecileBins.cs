namespace Granary.Quality.Drift;

/// <summary>
/// Ten bins cut at a baseline's deciles, for PSI and the Jensen-Shannon distance of numeric features. Bin i holds
/// the values in (qᵢ, qᵢ₊₁], with q₀ = −∞ and q₁₀ = +∞; qₖ is the k/10 quantile, linearly interpolated between
/// order statistics (numpy's default). Ties at a decile make bins empty, which PSI's floor handles.
/// </summary>
internal static class DecileBins
{
    public const int BinCount = 10;

    /// <summary>The nine inner cut points of a non-empty sorted sample.</summary>
    public static double[] CutPoints(ReadOnlySpan<double> sortedBaseline)
    {
        if (sortedBaseline.IsEmpty)
        {
            throw new ArgumentException("Deciles need at least one baseline value.", nameof(sortedBaseline));
        }

        var cuts = new double[BinCount - 1];
        int last = sortedBaseline.Length - 1;
        for (int k = 1; k < BinCount; k++)
        {
            double position = last * k / (double)BinCount;
            int below = (int)Math.Floor(position);
            int above = Math.Min(below + 1, last);
            double fraction = position - below;
            cuts[k - 1] = sortedBaseline[below] + (fraction * (sortedBaseline[above] - sortedBaseline[below]));
        }

        return cuts;
    }

    /// <summary>How many values of a sorted sample fall in each bin.</summary>
    public static long[] Count(ReadOnlySpan<double> sorted, ReadOnlySpan<double> cutPoints)
    {
        var counts = new long[cutPoints.Length + 1];
        int previous = 0;
        for (int i = 0; i < cutPoints.Length; i++)
        {
            int atOrBelow = UpperBound(sorted, cutPoints[i]);
            counts[i] = atOrBelow - previous;
            previous = atOrBelow;
        }

        counts[^1] = sorted.Length - previous;
        return counts;
    }

    /// <summary>The number of values at or below <paramref name="value"/>.</summary>
    private static int UpperBound(ReadOnlySpan<double> sorted, double value)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            int middle = low + ((high - low) / 2);
            if (sorted[middle] <= value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
