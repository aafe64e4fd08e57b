namespace Granary.Cli.Quickstart;

/// <summary>
/// The size, seed and time window of the quickstart data set. The defaults generate in about a second and are
/// large enough that the features carry a visible signal; the same options always give the same files.
/// </summary>
internal sealed record DemoDataOptions
{
    /// <summary>The end of the event window used by default: fixed, so that every run writes the same data.</summary>
    public static readonly DateTimeOffset DefaultAnchor = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The number of ad categories the generator uses; every category needs at least one ad.</summary>
    public const int Categories = 8;

    public int Users { get; init; } = 5_000;

    public int Ads { get; init; } = 300;

    public int Impressions { get; init; } = 300_000;

    /// <summary>Seeds every random draw; two runs with the same seed and sizes write identical files.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>The length of the event window, in days, ending at <see cref="Anchor"/>.</summary>
    public int Days { get; init; } = 30;

    /// <summary>The end of the event window (exclusive), in UTC. No event happens at or after it.</summary>
    public DateTimeOffset Anchor { get; init; } = DefaultAnchor;

    /// <summary>The start of the event window (inclusive).</summary>
    public DateTimeOffset WindowStart => Anchor.AddDays(-Days);

    /// <summary>
    /// The first day (1-based) of the window's last third, from which the ad pipeline's impression counter counts
    /// every impression twice: the drift planted in <c>ad_performance.impressions_1d</c> for the quickstart to find.
    /// </summary>
    public int DriftStartDay => Days - (Days / 3) + 1;

    /// <summary>When the planted drift starts: the event time of day <see cref="DriftStartDay"/>'s snapshots.</summary>
    public DateTimeOffset DriftStart => WindowStart.AddDays(DriftStartDay);

    /// <summary>Throws when a size is out of range, naming the option.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Users, 1, nameof(Users));
        ArgumentOutOfRangeException.ThrowIfLessThan(Ads, Categories, nameof(Ads));
        ArgumentOutOfRangeException.ThrowIfLessThan(Impressions, 1, nameof(Impressions));
        ArgumentOutOfRangeException.ThrowIfLessThan(Days, 1, nameof(Days));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Days, 3_650, nameof(Days));
        if (Anchor.Offset != TimeSpan.Zero)
        {
            throw new ArgumentException("The anchor must be a UTC time.", nameof(Anchor));
        }
    }
}
