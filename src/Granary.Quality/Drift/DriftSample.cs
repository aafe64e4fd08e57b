namespace Granary.Quality.Drift;

/// <summary>
/// One side of a drift comparison for one feature: a numeric feature's values, sorted, or a categorical feature's
/// count per category. Values read from the offline store, a saved dataset or a stored profile's sample all
/// become one of these.
/// </summary>
internal sealed class DriftSample
{
    private static readonly IReadOnlyDictionary<string, long> NoCounts = new Dictionary<string, long>();

    private DriftSample(double[] sortedValues, IReadOnlyDictionary<string, long> counts, bool isCategorical)
    {
        SortedValues = sortedValues;
        CategoryCounts = counts;
        IsCategorical = isCategorical;
    }

    public bool IsCategorical { get; }

    /// <summary>A numeric sample's values in ascending order, without NaN; empty for a categorical sample.</summary>
    public double[] SortedValues { get; }

    /// <summary>A categorical sample's count per category; empty for a numeric sample.</summary>
    public IReadOnlyDictionary<string, long> CategoryCounts { get; }

    /// <summary>How many values the sample holds.</summary>
    public long Count => IsCategorical ? SumCounts(CategoryCounts) : SortedValues.Length;

    /// <summary>A numeric sample; takes ownership of <paramref name="values"/>, dropping NaN and sorting it.</summary>
    public static DriftSample Numeric(double[] values)
    {
        int kept = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsNaN(values[i]))
            {
                values[kept++] = values[i];
            }
        }

        var sorted = kept == values.Length ? values : values[..kept];
        Array.Sort(sorted);
        return new DriftSample(sorted, NoCounts, isCategorical: false);
    }

    /// <summary>A categorical sample from counts per category (categories counted zero times are dropped).</summary>
    public static DriftSample Categorical(IReadOnlyDictionary<string, long> counts)
    {
        var kept = new Dictionary<string, long>(counts.Count, StringComparer.Ordinal);
        foreach (var (category, count) in counts)
        {
            if (count < 0)
            {
                throw new ArgumentException($"Category '{category}' has a negative count ({count}).", nameof(counts));
            }

            if (count > 0)
            {
                kept[category] = count;
            }
        }

        return new DriftSample([], kept, isCategorical: true);
    }

    private static long SumCounts(IReadOnlyDictionary<string, long> counts)
    {
        long total = 0;
        foreach (var count in counts.Values)
        {
            total += count;
        }

        return total;
    }
}
