using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Granary.Core.Model;
using Granary.Core.Time;
using Granary.Core.Values;

namespace Granary.OnlineServing;

/// <summary>
/// Writes an <see cref="OnlineFeaturesResponse"/> in Feast's JSON format, so Feast's clients read it unchanged:
/// <c>{"metadata": {"feature_names": [...]}, "results": [{"values": [...], "statuses": [...], "event_timestamps": [...]}]}</c>.
/// Values are encoded as Feast's server encodes them: floats always as JSON floats (<c>3.0</c>, never <c>3</c>: Feast's
/// clients infer a value's type from its JSON), <c>unix_timestamp</c> values as whole epoch seconds (Feast's
/// <c>unix_timestamp_val</c>; the sub-second part is dropped here and kept over gRPC and in the C# API), bytes base64.
/// <c>event_timestamps</c> are ISO-8601 UTC (a missing one is the Unix epoch, as Feast writes it).
/// </summary>
public static class OnlineResponseJson
{
    // "yyyy-MM-ddTHH:mm:ss.fffffffZ" and its quotes.
    private const int MaxTimestampLength = 30;

    // Escaped once: the writer then copies them without checking each byte for characters to escape.
    private static readonly JsonEncodedText Values = JsonEncodedText.Encode("values"u8);
    private static readonly JsonEncodedText Statuses = JsonEncodedText.Encode("statuses"u8);
    private static readonly JsonEncodedText EventTimestamps = JsonEncodedText.Encode("event_timestamps"u8);
    private static readonly JsonEncodedText Present = JsonEncodedText.Encode("PRESENT"u8);
    private static readonly JsonEncodedText NotFound = JsonEncodedText.Encode("NOT_FOUND"u8);
    private static readonly JsonEncodedText NullValue = JsonEncodedText.Encode("NULL_VALUE"u8);
    private static readonly JsonEncodedText OutsideMaxAge = JsonEncodedText.Encode("OUTSIDE_MAX_AGE"u8);

    public static void Write(Utf8JsonWriter writer, OnlineFeaturesResponse response)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("metadata"u8);
        writer.WriteStartArray("feature_names"u8);
        var names = response.EncodedNames;
        foreach (var name in names)
        {
            writer.WriteStringValue(name);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteStartArray("results"u8);

        // Every column of one view has the same event times, so a column of times equal to the one before it is
        // written from that column's formatted text instead of being formatted again.
        var text = ArrayPool<byte>.Shared.Rent(Math.Max(1, response.RowCount * MaxTimestampLength));
        var ends = ArrayPool<int>.Shared.Rent(Math.Max(1, response.RowCount));
        ReadOnlySpan<long> formattedTimes = default;
        try
        {
            for (var c = 0; c < names.Length; c++)
            {
                var times = response.EventTimestamps(c);
                if (c == 0 || !times.SequenceEqual(formattedTimes))
                {
                    FormatTimestamps(times, text, ends);
                    formattedTimes = times;
                }

                WriteColumn(writer, response, c, text, ends);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(text);
            ArrayPool<int>.Shared.Return(ends);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    // One result object: the column's values, statuses, and its times from their formatted text.
    private static void WriteColumn(Utf8JsonWriter writer, OnlineFeaturesResponse response, int c, byte[] text, int[] ends)
    {
        writer.WriteStartObject();
        writer.WriteStartArray(Values);
        foreach (var value in response.Values(c))
        {
            WriteValue(writer, value);
        }

        writer.WriteEndArray();
        writer.WriteStartArray(Statuses);
        foreach (var status in response.Statuses(c))
        {
            writer.WriteStringValue(WireName(status));
        }

        writer.WriteEndArray();
        writer.WriteStartArray(EventTimestamps);
        for (var r = 0; r < response.RowCount; r++)
        {
            var start = r == 0 ? 0 : ends[r - 1];
            writer.WriteRawValue(text.AsSpan(start, ends[r] - start), skipInputValidation: true);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void FormatTimestamps(ReadOnlySpan<long> times, byte[] text, int[] ends)
    {
        var end = 0;
        for (var r = 0; r < times.Length; r++)
        {
            end += FormatTimestamp(times[r], text.AsSpan(end, MaxTimestampLength));
            ends[r] = end;
        }
    }

    /// <summary>
    /// A timestamp as a quoted JSON string, exactly as <see cref="Utf8JsonWriter.WriteStringValue(DateTime)"/> writes
    /// a UTC <see cref="DateTime"/>: ISO-8601 with the fraction's trailing zeros trimmed (none at all for whole seconds).
    /// </summary>
    internal static int FormatTimestamp(long micros, Span<byte> destination)
    {
        destination[0] = (byte)'"';
        if (!System.Buffers.Text.Utf8Formatter.TryFormat(UtcMicros.ToDateTimeOffset(micros).UtcDateTime, destination[1..], out var written, new StandardFormat('O')))
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

    /// <summary>The response as indented JSON text (for the CLI).</summary>
    public static string ToIndentedString(OnlineFeaturesResponse response)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            Write(writer, response);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void WriteValue(Utf8JsonWriter writer, FeatureValue value)
    {
        if (value.IsNull)
        {
            writer.WriteNullValue();
            return;
        }

        if (value.Type.IsList)
        {
            writer.WriteStartArray();
            foreach (var item in value.AsList())
            {
                WriteScalar(writer, value.Type.Kind, item!);
            }

            writer.WriteEndArray();
            return;
        }

        switch (value.Type.Kind)
        {
            case ScalarKind.Int32: writer.WriteNumberValue(value.AsInt32()); break;
            case ScalarKind.Int64: writer.WriteNumberValue(value.AsInt64()); break;
            case ScalarKind.Float32: WriteDouble(writer, value.AsFloat32()); break;
            case ScalarKind.Float64: WriteDouble(writer, value.AsFloat64()); break;
            case ScalarKind.Bool: writer.WriteBooleanValue(value.AsBool()); break;
            case ScalarKind.Bytes: writer.WriteBase64StringValue(value.AsBytes()); break;
            case ScalarKind.UnixTimestamp: writer.WriteNumberValue(UtcMicros.ToSeconds(value.AsTimestampMicros())); break;
            default: writer.WriteStringValue(value.AsString()); break;
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, ScalarKind kind, object item)
    {
        switch (kind)
        {
            case ScalarKind.Int32: writer.WriteNumberValue((int)item); break;
            case ScalarKind.Int64: writer.WriteNumberValue((long)item); break;
            case ScalarKind.Float32: WriteDouble(writer, (float)item); break;
            case ScalarKind.Float64: WriteDouble(writer, (double)item); break;
            case ScalarKind.Bool: writer.WriteBooleanValue((bool)item); break;
            case ScalarKind.Bytes: writer.WriteBase64StringValue((byte[])item); break;
            case ScalarKind.UnixTimestamp: writer.WriteNumberValue(UtcMicros.ToSeconds((long)item)); break;
            default: writer.WriteStringValue((string)item); break;
        }
    }

    private static JsonEncodedText WireName(FeatureStatus status) => status switch
    {
        FeatureStatus.Present => Present,
        FeatureStatus.NotFound => NotFound,
        FeatureStatus.NullValue => NullValue,
        _ => OutsideMaxAge,
    };

    /// <summary>
    /// A double as the shortest text that reads back to the same bits, with <c>.0</c> added to a whole number so
    /// that it reads as a float (<c>3.0</c>, <c>1E+16</c>). Stores refuse NaN and infinities; one stored before they
    /// did is written as null rather than as invalid JSON.
    /// </summary>
    internal static void WriteDouble(Utf8JsonWriter writer, double value)
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
