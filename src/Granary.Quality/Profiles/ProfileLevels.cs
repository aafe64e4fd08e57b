namespace Granary.Quality.Profiles;

/// <summary>
/// The quantile levels every engine computes for a numeric feature in one aggregate: the reported percentiles and the
/// deciles a baseline keeps, merged and in ascending order.
/// </summary>
internal static class ProfileLevels
{
    public static readonly double[] Levels = [0.01, 0.05, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 0.95, 0.99];

    /// <summary>Where p10, p20, ..., p90 are in <see cref="Levels"/>.</summary>
    private static readonly int[] DecileIndexes = [2, 3, 5, 6, 7, 8, 9, 11, 12];

    public static ProfileQuantiles Reported(IReadOnlyList<double> values) =>
        new(values[0], values[1], values[4], values[7], values[10], values[13], values[14]);

    public static double[] Deciles(IReadOnlyList<double> values)
    {
        var deciles = new double[DecileIndexes.Length];
        for (var i = 0; i < deciles.Length; i++)
        {
            deciles[i] = values[DecileIndexes[i]];
        }

        return deciles;
    }

    /// <summary>The levels as a SQL array literal's elements (<c>0.01, 0.05, ...</c>).</summary>
    public static string SqlList => string.Join(", ", Levels.Select(l => l.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
}
