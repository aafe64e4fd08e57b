using System.Globalization;
using Granary.Core.Time;

namespace Granary.Streaming.Sources;

/// <summary>
/// The event times a stream message may carry: an ISO-8601 time (<c>2026-12-02T08:00:00Z</c>, a fraction to 100 ns,
/// an offset such as <c>+01:00</c> or none for UTC, a space in place of the <c>T</c>, a date alone for its midnight
/// UTC) or seconds since the Unix epoch, whole or with a fraction (<c>1733126400</c>, <c>1733126400.25</c>). Both are
/// truncated to microseconds, toward the past, as everywhere in Granary; milliseconds since the epoch are refused as
/// out of range rather than read as a date 1,000 times too late.
/// </summary>
internal static class EventTimestamps
{
    private static readonly string[] IsoFormats =
    [
        "yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFFK",
        "yyyy'-'MM'-'dd' 'HH':'mm':'ss.FFFFFFFK",
        "yyyy'-'MM'-'dd'T'HH':'mmK",
        "yyyy'-'MM'-'dd",
    ];

    /// <summary>An ISO-8601 time as microseconds; null with a reason when it is not one.</summary>
    public static long? ParseIso(string text, out string? error)
    {
        if (DateTimeOffset.TryParseExact(text, IsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            error = null;
            return UtcMicros.From(parsed);
        }

        error = $"'{Shorten(text)}' is not an ISO-8601 time such as 2026-12-02T08:00:00Z, nor seconds since the Unix epoch";
        return null;
    }

    /// <summary>Seconds since the epoch (a whole or fractional number) as microseconds; null with a reason when out of range.</summary>
    public static long? FromSeconds(decimal seconds, out string? error)
    {
        if (seconds < UtcMicros.MinSeconds || seconds > UtcMicros.MaxSeconds)
        {
            error = $"{seconds.ToString(CultureInfo.InvariantCulture)} read as seconds since the Unix epoch is outside the years 1 to 9999 (milliseconds?); give seconds or an ISO-8601 time";
            return null;
        }

        error = null;
        return (long)decimal.Floor(seconds * 1_000_000m);
    }

    /// <summary>Text that is a time in either form.</summary>
    public static long? Parse(string text, out string? error) =>
        decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            ? FromSeconds(seconds, out error)
            : ParseIso(text, out error);

    /// <summary>A value quoted in an error message, cut short so a huge field does not flood the log.</summary>
    public static string Shorten(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 61), "...");
}
