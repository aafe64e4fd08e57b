namespace Granary.Core.Time;

/// <summary>
/// Granary's one representation of an instant on the wire and on disk: microseconds since the Unix epoch, UTC.
/// Finer precision is truncated (toward the past), so a value never moves later than it was.
/// </summary>
internal static class UtcMicros
{
    /// <summary>Stands for "no timestamp" (a record without a created time).</summary>
    public const long None = long.MinValue;

    /// <summary>0001-01-01T00:00:00Z, the first instant a stored timestamp may hold (DateTimeOffset's first).</summary>
    public const long MinValue = -62_135_596_800_000_000;

    /// <summary>9999-12-31T23:59:59.999999Z, the last instant a stored timestamp may hold.</summary>
    public const long MaxValue = 253_402_300_799_999_999;

    /// <summary>The first and last whole epoch seconds in years 1 to 9999.</summary>
    public const long MinSeconds = MinValue / 1_000_000;

    /// <inheritdoc cref="MinSeconds"/>
    public const long MaxSeconds = MaxValue / 1_000_000;

    /// <summary>Whether <paramref name="micros"/> is an instant every reader can turn back into a date (years 1 to 9999).</summary>
    public static bool IsRepresentable(long micros) => micros is >= MinValue and <= MaxValue;

    public static long From(DateTimeOffset value) =>
        (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond
        - ((value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) % TimeSpan.TicksPerMicrosecond < 0 ? 1 : 0);

    public static long From(DateTime value) => From(value.Kind == DateTimeKind.Unspecified
        ? new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc))
        : new DateTimeOffset(value.ToUniversalTime()));

    /// <summary>Whole epoch seconds (Feast's <c>unix_timestamp</c> form) as microseconds; they must lie in years 1 to 9999.</summary>
    public static long FromSeconds(long seconds) => seconds is >= MinSeconds and <= MaxSeconds
        ? seconds * 1_000_000
        : throw new FormatException($"{seconds} read as seconds since the Unix epoch is outside the years 1 to 9999 (milliseconds or microseconds?); give whole seconds or an ISO-8601 time");

    /// <summary>The whole epoch seconds of <paramref name="micros"/>, rounded toward the past (the sub-second part dropped).</summary>
    public static long ToSeconds(long micros) => Math.DivRem(micros, 1_000_000, out var rest) - (rest < 0 ? 1 : 0);

    public static DateTimeOffset ToDateTimeOffset(long micros) =>
        DateTimeOffset.UnixEpoch.AddTicks(micros * TimeSpan.TicksPerMicrosecond);
}
