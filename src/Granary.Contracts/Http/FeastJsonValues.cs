using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Granary.Contracts.Http;

/// <summary>
/// Values as Feast's server writes them in JSON, so Feast's clients read them unchanged: floats always as JSON floats
/// (<c>3.0</c>, never <c>3</c>: Feast's clients infer a value's type from its JSON), timestamps in values as whole
/// epoch seconds (Feast's <c>unix_timestamp_val</c>), event times as ISO-8601 UTC strings.
/// </summary>
internal static class FeastJsonValues
{
    /// <summary>The longest <see cref="FormatTimestamp"/> writes: <c>"yyyy-MM-ddTHH:mm:ss.fffffffZ"</c> and its quotes.</summary>
    public const int MaxTimestampLength = 30;

    /// <summary>
    /// A timestamp (µs since the Unix epoch, years 1 to 9999) as a quoted JSON string, exactly as
    /// <see cref="Utf8JsonWriter.WriteStringValue(DateTime)"/> writes a UTC <see cref="DateTime"/>: ISO-8601 with the
    /// fraction's trailing zeros trimmed (none at all for whole seconds).
    /// </summary>
    public static int FormatTimestamp(long micros, Span<byte> destination)
    {
        destination[0] = (byte)'"';
        var utc = DateTime.UnixEpoch.AddTicks(micros * TimeSpan.TicksPerMicrosecond);
        if (!System.Buffers.Text.Utf8Formatter.TryFormat(utc, destination[1..], out var written, new StandardFormat('O')))
        {
            throw new InvalidOperationException($"Timestamp {micros} µs does not format as ISO-8601.");
        }

        // written covers "yyyy-MM-ddTHH:mm:ss.fffffffZ": the fraction is bytes 21..27 of destination, 'Z' at 28.
        var fractionEnd = written;
        while (fractionEnd > 21 && destination[fractionEnd - 1] == (byte)'0')
        {
            fractionEnd--;
        }

        if (fractionEnd == 21)
        {
            fractionEnd = 20;   // no fraction left: drop the '.'
        }

        destination[fractionEnd] = (byte)'Z';
        destination[fractionEnd + 1] = (byte)'"';
        return fractionEnd + 2;
    }

    /// <summary>
    /// A double as the shortest text that reads back to the same bits, with <c>.0</c> added to a whole number so
    /// that it reads as a float (<c>3.0</c>, <c>1E+16</c>). Stores refuse NaN and infinities; one stored before they
    /// did is written as null rather than as invalid JSON.
    /// </summary>
    public static void WriteFloat(Utf8JsonWriter writer, double value)
    {
        if (!double.IsFinite(value))
        {
            writer.WriteNullValue();
            return;
        }

        // A fraction already reads as a float: the writer's own formatting, as fast as before.
        if (Math.Truncate(value) != value)
        {
            writer.WriteNumberValue(value);
            return;
        }

        // The longest shortest-round-trip form is 24 bytes ("-2.2250738585072014E-308"), plus ".0". A whole number
        // below 2^53 (what most whole floats are) is its integer's digits, which format much faster than a double's;
        // -0.0 keeps its sign through the double's own formatting.
        Span<byte> text = stackalloc byte[32];
        int written;
        if (Math.Abs(value) < 9_007_199_254_740_992d && (value != 0 || !double.IsNegative(value)))
        {
            System.Buffers.Text.Utf8Formatter.TryFormat((long)value, text, out written);
        }
        else
        {
            value.TryFormat(text, out written, default, CultureInfo.InvariantCulture);
        }

        if (text[..written].IndexOfAny((byte)'.', (byte)'E') < 0)
        {
            text[written++] = (byte)'.';
            text[written++] = (byte)'0';
        }

        writer.WriteRawValue(text[..written], skipInputValidation: true);
    }
}
