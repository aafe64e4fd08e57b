namespace Granary.Quality.Drift;

/// <summary>
/// Relative shifts of the mean and the standard deviation (population, ddof = 0) between two numeric samples.
/// </summary>
/// <remarks>
/// mean_shift = |μ₁ − μ₀| / |μ₀|, divided by σ₀ instead when μ₀ = 0; std_shift = |σ₁ − σ₀| / σ₀, divided by |μ₀|
/// instead when σ₀ = 0. When that divisor is 0 as well the shift is 0 if nothing moved and +∞ otherwise.
/// </remarks>
internal static class DistributionShift
{
    public static (double Mean, double StandardDeviation) Moments(ReadOnlySpan<double> values)
    {
        // Two passes: the textbook one-pass formula loses the variance of values far from zero.
        double sum = 0;
        foreach (var value in values)
        {
            sum += value;
        }

        double mean = sum / values.Length;
        double squares = 0;
        foreach (var value in values)
        {
            squares += (value - mean) * (value - mean);
        }

        return (mean, Math.Sqrt(squares / values.Length));
    }

    public static (double MeanShift, double StdShift) Compute(ReadOnlySpan<double> baseline, ReadOnlySpan<double> current)
    {
        var (baselineMean, baselineStd) = Moments(baseline);
        var (currentMean, currentStd) = Moments(current);
        double meanShift = Relative(Math.Abs(currentMean - baselineMean), Math.Abs(baselineMean), baselineStd);
        double stdShift = Relative(Math.Abs(currentStd - baselineStd), baselineStd, Math.Abs(baselineMean));
        return (meanShift, stdShift);
    }

    private static double Relative(double difference, double divisor, double fallbackDivisor)
    {
        double scale = divisor != 0 ? divisor : fallbackDivisor;
        if (scale != 0)
        {
            return difference / scale;
        }

        return difference == 0 ? 0.0 : double.PositiveInfinity;
    }
}
