using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text.Json;
using Granary.Contracts.Errors;

namespace Granary.Client.Http;

/// <summary>
/// The bodies of Feast's HTTP API as Granary's server reads them (Granary.Contracts' readers, which the round-trip
/// tests hold this writer to), written in one pass with <see cref="Utf8JsonWriter"/>. Feature reads ask for full
/// feature names (<c>view__feature</c>) so that every column maps back to its <c>view:feature</c>.
/// </summary>
internal static class HttpRequestWriter
{
    private static readonly JsonEncodedText Features = JsonEncodedText.Encode("features");
    private static readonly JsonEncodedText FeatureService = JsonEncodedText.Encode("feature_service");
    private static readonly JsonEncodedText Entities = JsonEncodedText.Encode("entities");
    private static readonly JsonEncodedText RequestContext = JsonEncodedText.Encode("request_context");
    private static readonly JsonEncodedText FullFeatureNames = JsonEncodedText.Encode("full_feature_names");
    private static readonly JsonEncodedText Experiment = JsonEncodedText.Encode("experiment");
    private static readonly JsonEncodedText UnitId = JsonEncodedText.Encode("unit_id");
    private static readonly JsonEncodedText PushSourceName = JsonEncodedText.Encode("push_source_name");
    private static readonly JsonEncodedText FeatureViewName = JsonEncodedText.Encode("feature_view_name");
    private static readonly JsonEncodedText Df = JsonEncodedText.Encode("df");
    private static readonly JsonEncodedText To = JsonEncodedText.Encode("to");
    private static readonly JsonEncodedText AllowPartial = JsonEncodedText.Encode("allow_partial");
    private static readonly JsonEncodedText Online = JsonEncodedText.Encode("online");
    private static readonly JsonEncodedText Offline = JsonEncodedText.Encode("offline");
    private static readonly JsonEncodedText OnlineAndOffline = JsonEncodedText.Encode("online_and_offline");

    public static void WriteOnlineFeatures(IBufferWriter<byte> output, OnlineFeaturesRequest request)
    {
        var writer = ReusedJsonWriter.Rent(output);
        writer.WriteStartObject();
        if (request.FeatureService is { } service)
        {
            writer.WriteString(FeatureService, service);
        }
        else
        {
            writer.WriteStartArray(Features);
            foreach (var feature in request.FeatureList)
            {
                writer.WriteStringValue(feature);
            }

            writer.WriteEndArray();
        }

        WriteColumns(writer, Entities, request.EntityColumns);
        if (request.RequestColumns.Count > 0)
        {
            WriteColumns(writer, RequestContext, request.RequestColumns);
        }

        writer.WriteBoolean(FullFeatureNames, true);
        if (request.Experiment is { } experiment)
        {
            writer.WriteString(Experiment, experiment);
            writer.WriteString(UnitId, request.UnitId);
        }

        writer.WriteEndObject();
        ReusedJsonWriter.Return(writer);
    }

    public static void WritePush(IBufferWriter<byte> output, PushRequest request)
    {
        var writer = ReusedJsonWriter.Rent(output);
        writer.WriteStartObject();
        writer.WriteString(PushSourceName, request.PushSourceName);
        WriteColumns(writer, Df, request.Columns);
        writer.WriteString(To, request.To switch
        {
            PushTarget.Offline => Offline,
            PushTarget.OnlineAndOffline => OnlineAndOffline,
            _ => Online,
        });
        if (request.AllowPartial)
        {
            // Only when asked for: a body without it is Feast's, which any server takes.
            writer.WriteBoolean(AllowPartial, true);
        }

        writer.WriteEndObject();
        ReusedJsonWriter.Return(writer);
    }

    public static void WriteToOnlineStore(IBufferWriter<byte> output, WriteToOnlineStoreRequest request)
    {
        var writer = ReusedJsonWriter.Rent(output);
        writer.WriteStartObject();
        writer.WriteString(FeatureViewName, request.FeatureViewName);
        WriteColumns(writer, Df, request.Columns);
        writer.WriteEndObject();
        ReusedJsonWriter.Return(writer);
    }

    /// <summary>
    /// One value as the server's reader takes it: integers as JSON integers, floats always with a fraction or
    /// exponent (so a whole 3.0 is not read back as the integer 3), times as ISO-8601 UTC, bytes base64.
    /// </summary>
    public static void WriteValue(Utf8JsonWriter writer, object? value, string column)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case long l: writer.WriteNumberValue(l); break;
            case int i: writer.WriteNumberValue(i); break;
            case short s16: writer.WriteNumberValue(s16); break;
            case byte b8: writer.WriteNumberValue(b8); break;
            case sbyte s8: writer.WriteNumberValue(s8); break;
            case uint u32: writer.WriteNumberValue(u32); break;
            case ushort u16: writer.WriteNumberValue(u16); break;
            case ulong u64: writer.WriteNumberValue(u64); break;
            case bool flag: writer.WriteBooleanValue(flag); break;
            case double d: WriteFloat(writer, d, column); break;
            case float f: WriteFloat(writer, f, column); break;
            case decimal m: writer.WriteNumberValue(m); break;
            case DateTimeOffset time: writer.WriteStringValue(time.UtcDateTime); break;
            case DateTime time: writer.WriteStringValue(time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc)); break;
            case byte[] bytes: writer.WriteBase64StringValue(bytes); break;
            case Guid id: writer.WriteStringValue(id); break;
            case IEnumerable list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValue(writer, item, column);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new GranaryClientException(
                    ErrorCodes.InvalidArgument,
                    $"Column '{column}': a {value.GetType().Name} is not a value the server takes; give a number, string, boolean, DateTimeOffset, byte[], a list of them, or null.",
                    httpStatus: null,
                    isTransient: false,
                    mayHaveReachedServer: false);
        }
    }

    private static void WriteColumns(Utf8JsonWriter writer, JsonEncodedText property, IReadOnlyList<ValueColumn> columns)
    {
        writer.WriteStartObject(property);
        for (var c = 0; c < columns.Count; c++)
        {
            var column = columns[c];
            writer.WriteStartArray(column.Name);
            foreach (var value in column.Values)
            {
                WriteValue(writer, value, column.Name);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteFloat(Utf8JsonWriter writer, double value, string column)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new GranaryClientException(
                ErrorCodes.InvalidArgument, $"Column '{column}': {value} is not a finite number; send null for a missing value.", httpStatus: null, isTransient: false, mayHaveReachedServer: false);
        }

        if (Math.Truncate(value) != value)
        {
            writer.WriteNumberValue(value);
            return;
        }

        // "R" is the shortest text that reads back to the same double; a whole number gets ".0" to stay a float.
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        writer.WriteRawValue(text.Contains('.') || text.Contains('E') ? text : text + ".0", skipInputValidation: true);
    }
}
