namespace Granary.Quality.Profiles;

/// <summary>
/// One bin of a numeric feature's histogram: the non-null values in [<see cref="Lower"/>, <see cref="Upper"/>), the
/// last bin also holding its upper edge (the maximum).
/// </summary>
public sealed record HistogramBin(double Lower, double Upper, long Count);
