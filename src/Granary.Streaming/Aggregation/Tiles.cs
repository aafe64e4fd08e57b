namespace Granary.Streaming.Aggregation;

/// <summary>Tile arithmetic: tiles of width <c>h</c> start at the multiples of <c>h</c> since the Unix epoch.</summary>
internal static class Tiles
{
    /// <summary>The start of the tile of width <paramref name="hop"/> holding <paramref name="micros"/>: <c>floor(t / h) * h</c>, also before 1970.</summary>
    public static long StartOf(long micros, long hop)
    {
        var remainder = micros % hop;
        return remainder < 0 ? micros - remainder - hop : micros - remainder;
    }
}
