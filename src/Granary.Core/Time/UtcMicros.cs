namespace Granary.Time;

/// <summary>
/// Granary's one representation of an instant on the wire and on disk: microseconds since the Unix epoch, UTC.
/// Finer precision is truncated (toward the past), so a value never moves later than it was.
/// </summary>
public static class UtcMicros
{
    /// <summary>Stands for "no timestamp" (a record without a created time).</summary>
    public const long None = long.MinValue;

    public static long From(DateTimeOffset value) =>
        (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond
        - ((value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) % TimeSpan.TicksPerMicrosecond < 0 ? 1 : 0);

    public static long From(DateTime value) => From(value.Kind == DateTimeKind.Unspecified
        ? new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc))
        : new DateTimeOffset(value.ToUniversalTime()));

    public static DateTimeOffset ToDateTimeOffset(long micros) =>
        DateTimeOffset.UnixEpoch.AddTicks(micros * TimeSpan.TicksPerMicrosecond);
}
