namespace Granary.Quality.Drift;

/// <summary>The outcome of a two-sample Kolmogorov-Smirnov test.</summary>
/// <param name="Statistic">The largest distance between the two empirical distribution functions, in [0, 1].</param>
/// <param name="PValue">The probability of a statistic at least as large when both samples share one distribution.</param>
/// <param name="Exact">Whether the p-value is exact rather than asymptotic.</param>
internal readonly record struct KolmogorovSmirnovResult(double Statistic, double PValue, bool Exact);
