namespace Granary.Quality.Profiles;

/// <summary>The percentiles a profile reports for a numeric feature, over its non-null values (linear interpolation between ranks).</summary>
public sealed record ProfileQuantiles(double P1, double P5, double P25, double P50, double P75, double P95, double P99);
