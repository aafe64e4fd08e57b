namespace Granary.Quality.Profiles;

/// <summary>
/// How a numeric feature's histogram is binned: <see cref="ProfileLimits.HistogramBins"/> equal-width bins from its
/// minimum to its maximum (one bin when they are equal), a value in bin <c>floor((x - min) / width)</c>, the maximum in
/// the last. Engines compute the same bin index in SQL with the same double arithmetic (<see cref="SqlBinExpression"/>).
/// </summary>
internal readonly record struct HistogramLayout(double Min, double Max, int Bins, double Width)
{
    /// <summary>The layout for values in [min, max]; null when either is not finite (no equal-width bins exist).</summary>
    public static HistogramLayout? For(double min, double max)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || !double.IsFinite(max - min))
        {
            return null;
        }

        var bins = max > min ? ProfileLimits.HistogramBins : 1;
        return new HistogramLayout(min, max, bins, (max - min) / bins);
    }

    public int BinOf(double value) => Bins == 1 ? 0 : (int)Math.Min(Math.Floor((value - Min) / Width), Bins - 1);

    /// <summary>
    /// The SQL bin index of <paramref name="value"/> (a double expression), given the engine's spelling of a double
    /// literal: <c>least(floor((x - min) / width), bins - 1)</c>, the bounds written exactly (round-trip format).
    /// </summary>
    public string SqlBinExpression(string value, Func<double, string> doubleLiteral) =>
        Bins == 1 ? "0" : $"least(floor(({value} - {doubleLiteral(Min)}) / {doubleLiteral(Width)}), {Bins - 1})";

    public HistogramBin[] ToBins(IReadOnlyList<long> counts)
    {
        var bins = new HistogramBin[Bins];
        for (var i = 0; i < Bins; i++)
        {
            var upper = i == Bins - 1 ? Max : Min + ((i + 1) * Width);
            bins[i] = new HistogramBin(Min + (i * Width), upper, counts[i]);
        }

        return bins;
    }

    public static string RoundTrip(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
