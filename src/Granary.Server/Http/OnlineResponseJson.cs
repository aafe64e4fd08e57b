using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Granary.Contracts.Http;
using Granary.Core.Model;
using Granary.Core.Time;
using Granary.Core.Values;
using Granary.OnlineServing;
using Wire = Granary.Contracts.Http.OnlineFeaturesResponseJson;

namespace Granary.Server.Http;

/// <summary>
/// Writes an <see cref="OnlineFeaturesResponse"/> in Feast's JSON format (<see cref="Wire"/>, whose names it writes),
/// so Feast's clients read it unchanged. Values are encoded as Feast's server encodes them
/// (<see cref="FeastJsonValues"/>): floats always as JSON floats, <c>unix_timestamp</c> values as whole epoch seconds
/// (the sub-second part is dropped here and kept over gRPC and in the C# API), bytes base64. <c>event_timestamps</c>
/// are ISO-8601 UTC (a missing one is the Unix epoch, as Feast writes it).
/// </summary>
internal static class OnlineResponseJson
{
    /// <summary>
    /// The feature names escaped for JSON, once per query: the facade answers every request of one shape with the
    /// same names list, so it is the key, and an entry goes when the query it belongs to goes.
    /// </summary>
    private static readonly ConditionalWeakTable<IReadOnlyList<string>, JsonEncodedText[]> s_encodedNames = new();

    [ThreadStatic]
    private static IReadOnlyList<string>? t_lastNames;

    [ThreadStatic]
    private static JsonEncodedText[]? t_lastEncoded;

    public static void Write(Utf8JsonWriter writer, OnlineFeaturesResponse response)
    {
        writer.WriteStartObject();
        writer.WriteStartObject(Wire.Metadata.EncodedName);
        writer.WriteStartArray(Wire.FeatureNames.EncodedName);
        var names = EncodedNames(response.FeatureNames);
        foreach (var name in names)
        {
            writer.WriteStringValue(name);
        }

        writer.WriteEndArray();
        if (response.Experiment is { } experiment)
        {
            writer.WriteStartObject(Wire.Experiment.EncodedName);
            writer.WriteString(Wire.ExperimentName.EncodedName, experiment.Name);
            writer.WriteString(Wire.ExperimentVariant.EncodedName, experiment.Variant);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteStartArray(Wire.Results.EncodedName);

        // Every column of one view has the same event times, so a column of times equal to the one before it is
        // written from that column's formatted text instead of being formatted again.
        var text = ArrayPool<byte>.Shared.Rent(Math.Max(1, response.RowCount * FeastJsonValues.MaxTimestampLength));
        var ends = ArrayPool<int>.Shared.Rent(Math.Max(1, response.RowCount));
        ReadOnlySpan<long> formattedTimes = default;
        var columns = response.Results;
        try
        {
            for (var c = 0; c < names.Length; c++)
            {
                var column = columns[c];
                var times = column.EventTimestamps;
                if (c == 0 || !times.SequenceEqual(formattedTimes))
                {
                    FormatTimestamps(times, text, ends);
                    formattedTimes = times;
                }

                WriteColumn(writer, column, response.RowCount, text, ends);
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
            case ScalarKind.Float32: FeastJsonValues.WriteFloat(writer, value.AsFloat32()); break;
            case ScalarKind.Float64: FeastJsonValues.WriteFloat(writer, value.AsFloat64()); break;
            case ScalarKind.Bool: writer.WriteBooleanValue(value.AsBool()); break;
            case ScalarKind.Bytes: writer.WriteBase64StringValue(value.AsBytes()); break;
            case ScalarKind.UnixTimestamp: writer.WriteNumberValue(UtcMicros.ToSeconds(value.AsTimestampMicros())); break;
            default: writer.WriteStringValue(value.AsString()); break;
        }
    }

    // The names list of a query is the same object for every answer to it; the last one seen on this thread is
    // checked first, so a server answering one kind of request all day pays a reference comparison.
    private static JsonEncodedText[] EncodedNames(IReadOnlyList<string> names)
    {
        if (ReferenceEquals(t_lastNames, names))
        {
            return t_lastEncoded!;
        }

        var encoded = s_encodedNames.GetValue(names, static names =>
        {
            var encoded = new JsonEncodedText[names.Count];
            for (var i = 0; i < encoded.Length; i++)
            {
                encoded[i] = JsonEncodedText.Encode(names[i]);
            }

            return encoded;
        });
        t_lastNames = names;
        t_lastEncoded = encoded;
        return encoded;
    }

    // One result object: the column's values, statuses, and its times from their formatted text.
    private static void WriteColumn(Utf8JsonWriter writer, OnlineFeatureColumn column, int rows, byte[] text, int[] ends)
    {
        writer.WriteStartObject();
        writer.WriteStartArray(Wire.Values.EncodedName);
        foreach (var value in column.Values)
        {
            WriteValue(writer, value);
        }

        writer.WriteEndArray();
        writer.WriteStartArray(Wire.Statuses.EncodedName);
        foreach (var status in column.Statuses)
        {
            writer.WriteStringValue(WireName(status));
        }

        writer.WriteEndArray();
        writer.WriteStartArray(Wire.EventTimestamps.EncodedName);
        for (var r = 0; r < rows; r++)
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
            end += FeastJsonValues.FormatTimestamp(times[r], text.AsSpan(end, FeastJsonValues.MaxTimestampLength));
            ends[r] = end;
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, ScalarKind kind, object item)
    {
        switch (kind)
        {
            case ScalarKind.Int32: writer.WriteNumberValue((int)item); break;
            case ScalarKind.Int64: writer.WriteNumberValue((long)item); break;
            case ScalarKind.Float32: FeastJsonValues.WriteFloat(writer, (float)item); break;
            case ScalarKind.Float64: FeastJsonValues.WriteFloat(writer, (double)item); break;
            case ScalarKind.Bool: writer.WriteBooleanValue((bool)item); break;
            case ScalarKind.Bytes: writer.WriteBase64StringValue((byte[])item); break;
            case ScalarKind.UnixTimestamp: writer.WriteNumberValue(UtcMicros.ToSeconds((long)item)); break;
            default: writer.WriteStringValue((string)item); break;
        }
    }

    private static JsonEncodedText WireName(FeatureStatus status) => status switch
    {
        FeatureStatus.Present => Wire.Present,
        FeatureStatus.NotFound => Wire.NotFound,
        FeatureStatus.NullValue => Wire.NullValue,
        _ => Wire.OutsideMaxAge,
    };
}
