namespace Granary.Quality.Drift;

/// <summary>The outcome of a chi-square test of homogeneity.</summary>
internal readonly record struct ChiSquareResult(double Statistic, double PValue, int DegreesOfFreedom);
