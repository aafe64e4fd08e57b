using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Granary.Core.Time;

/// <summary>
/// The one way durations are written everywhere (definitions, CLI, wire): an integer and a unit,
/// <c>90s</c>, <c>15m</c>, <c>1h</c>, <c>7d</c>, <c>2w</c>, optionally combined (<c>1h30m</c>); <c>0</c> means no limit.
/// </summary>
internal static class Durations
{
    public static string Grammar => "a number with a unit s, m, h, d or w (for example 90s, 15m, 1h, 7d, 1h30m), or 0 for no limit";

    public static bool TryParse([NotNullWhen(true)] string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        if (s == "0")
        {
            return true;
        }

        long totalSeconds = 0;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            if (i == start || i == s.Length)
            {
                return false;
            }

            if (!long.TryParse(s.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
            {
                return false;
            }

            long unit = char.ToLowerInvariant(s[i]) switch
            {
                's' => 1,
                'm' => 60,
                'h' => 3600,
                'd' => 86400,
                'w' => 7 * 86400,
                _ => 0,
            };
            if (unit == 0)
            {
                return false;
            }

            i++;
            try
            {
                totalSeconds = checked(totalSeconds + checked(amount * unit));
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        if (totalSeconds > (long)TimeSpan.MaxValue.TotalSeconds)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(totalSeconds);
        return true;
    }

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var d) ? d : throw new FormatException($"Invalid duration '{text}'; expected {Grammar}.");

    /// <summary>Writes the shortest form that parses back to the same value (<c>7d</c>, <c>1h30m</c>, <c>0</c>).</summary>
    public static string Format(TimeSpan duration)
    {
        var seconds = (long)duration.TotalSeconds;
        if (seconds <= 0)
        {
            return "0";
        }

        var parts = new System.Text.StringBuilder();
        Append(ref seconds, 86400, 'd', parts);
        Append(ref seconds, 3600, 'h', parts);
        Append(ref seconds, 60, 'm', parts);
        Append(ref seconds, 1, 's', parts);
        return parts.ToString();
    }

    private static void Append(ref long seconds, long unit, char suffix, System.Text.StringBuilder parts)
    {
        if (seconds >= unit)
        {
            parts.Append(CultureInfo.InvariantCulture, $"{seconds / unit}{suffix}");
            seconds %= unit;
        }
    }
}
