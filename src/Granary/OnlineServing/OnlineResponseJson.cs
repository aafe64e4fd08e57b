using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Granary.Model;
using Granary.Time;
using Granary.Values;

namespace Granary.OnlineServing;

/// <summary>
/// Writes an <see cref="OnlineFeaturesResponse"/> in Feast's JSON format, so Feast's clients read it unchanged:
/// <c>{"metadata": {"feature_names": [...]}, "results": [{"values": [...], "statuses": [...], "event_timestamps": [...]}]}</c>.
/// Timestamps are ISO-8601 UTC (a missing one is the Unix epoch, as Feast writes it), bytes base64.
/// </summary>
public static class OnlineResponseJson
{
    public static void Write(Utf8JsonWriter writer, OnlineFeaturesResponse response)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("metadata"u8);
        writer.WriteStartArray("feature_names"u8);
        var names = response.FeatureNames;
        for (var c = 0; c < names.Count; c++)
        {
            writer.WriteStringValue(names[c]);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteStartArray("results"u8);
        for (var c = 0; c < names.Count; c++)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("values"u8);
            foreach (var value in response.Values(c))
            {
                WriteValue(writer, value);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("statuses"u8);
            foreach (var status in response.Statuses(c))
            {
                writer.WriteStringValue(WireName(status));
            }

            writer.WriteEndArray();
            writer.WriteStartArray("event_timestamps"u8);
            foreach (var micros in response.EventTimestamps(c))
            {
                WriteTimestamp(writer, micros);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
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
            case ScalarKind.UnixTimestamp: WriteTimestamp(writer, value.AsTimestampMicros()); break;
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
            case ScalarKind.UnixTimestamp: WriteTimestamp(writer, (long)item); break;
            default: writer.WriteStringValue((string)item); break;
        }
    }

    // UTF-8 literals: the writer copies them without transcoding a string.
    private static ReadOnlySpan<byte> WireName(FeatureStatus status) => status switch
    {
        FeatureStatus.Present => "PRESENT"u8,
        FeatureStatus.NotFound => "NOT_FOUND"u8,
        FeatureStatus.NullValue => "NULL_VALUE"u8,
        _ => "OUTSIDE_MAX_AGE"u8,
    };

    // JSON has no NaN or infinity; they are written as null rather than producing invalid JSON.
    private static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    // The writer's own ISO-8601 formatting of a UTC DateTime ("2026-11-01T00:00:00Z", fractions only when present) is
    // much cheaper than a custom format string, and writes exactly the same text.
    private static void WriteTimestamp(Utf8JsonWriter writer, long micros) =>
        writer.WriteStringValue(UtcMicros.ToDateTimeOffset(micros).UtcDateTime);
}
