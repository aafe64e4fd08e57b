using System.Diagnostics.CodeAnalysis;
using Granary.Core.Time;

namespace Granary.Core.Model;

/// <summary>
/// How often a view's data is expected to arrive (<c>freshness:</c> on a feature view): the expectation as written
/// (<c>real_time</c>, <c>hourly</c>, <c>daily</c>, <c>weekly</c> or a duration) and the ages up to which the view counts as
/// fresh and as stale; older is very stale.
/// </summary>
/// <param name="Expected">The expectation as the view declares it: a class name, or a duration in Granary's form (<c>90m</c> is <c>1h30m</c>).</param>
/// <param name="Fresh">The age of the newest event up to which the view is fresh.</param>
/// <param name="Stale">The age up to which it is stale; past it, very stale. Not less than <paramref name="Fresh"/>.</param>
public sealed record FreshnessExpectation(string Expected, TimeSpan Fresh, TimeSpan Stale)
{
    // The ad-tech seed's thresholds in hours (fresh, stale); its third number, very_stale, is where its table stops and
    // adds no class of its own, since everything past stale is very stale.
    private static readonly (string Name, int Fresh, int Stale)[] Classes =
    [
        ("real_time", 1, 6),
        ("hourly", 2, 12),
        ("daily", 25, 72),
        ("weekly", 168, 336),
    ];

    /// <summary>A duration d is fresh up to d and stale up to this many times d.</summary>
    public const int StaleMultiple = 6;

    /// <summary>The class names a view may declare, in increasing period.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = ["real_time", "hourly", "daily", "weekly"];

    /// <summary>What a view that declares no freshness is judged by: <c>daily</c>, as the seed does.</summary>
    public static FreshnessExpectation Default { get; } = ForClass("daily")!;

    /// <summary>What <see cref="TryParse"/> accepts, for error messages.</summary>
    public static string Grammar => $"one of {string.Join(", ", ClassNames)}, or a duration above 0 such as 30m, 4h or 2d";

    /// <summary>The expectation of a class name with its default thresholds; null for another name.</summary>
    public static FreshnessExpectation? ForClass(string name)
    {
        foreach (var (className, fresh, stale) in Classes)
        {
            if (className == name)
            {
                return new FreshnessExpectation(className, TimeSpan.FromHours(fresh), TimeSpan.FromHours(stale));
            }
        }

        return null;
    }

    /// <summary>A class name or a positive duration (fresh up to it, stale up to <see cref="StaleMultiple"/> times it).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out FreshnessExpectation? expectation)
    {
        expectation = text is null ? null : ForClass(text);
        if (expectation is null && Durations.TryParse(text, out var period) && period > TimeSpan.Zero)
        {
            expectation = new FreshnessExpectation(Durations.Format(period), period, period * StaleMultiple);
        }

        return expectation is not null;
    }
}
