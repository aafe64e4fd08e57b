using System.Collections;
using System.Globalization;
using System.Text.Json;
using Granary.Consistency;

namespace Granary.Server.Http.Monitoring;

/// <summary>
/// The JSON of a consistency check, as <c>GET /api/v1/monitoring/consistency/{view}</c> answers it and
/// <c>granary consistency --format json</c> prints it: <c>{"view", "start", "end", "rows", "consistency", "features":
/// [{"name", "compared", "matches", "mismatch_rate", "missing_rate", "extra_rate", "consistency", "examples":
/// [{"entity": {...}, "served_at", "served", "offline"}]}]}</c>; rates and consistencies are null when nothing was compared.
/// </summary>
internal static class ConsistencyJson
{
    public static void Write(Utf8JsonWriter writer, ConsistencyReport report)
    {
        writer.WriteStartObject();
        writer.WriteString("view"u8, report.View);
        writer.WriteString("start"u8, report.Start.ToUniversalTime());
        writer.WriteString("end"u8, report.End.ToUniversalTime());
        writer.WriteNumber("rows"u8, report.Rows);
        Rate(writer, "consistency"u8, report.Consistency);
        writer.WriteStartArray("features"u8);
        foreach (var feature in report.Features)
        {
            writer.WriteStartObject();
            writer.WriteString("name"u8, feature.Name);
            writer.WriteNumber("compared"u8, feature.Compared);
            writer.WriteNumber("matches"u8, feature.Matches);
            Rate(writer, "mismatch_rate"u8, feature.MismatchRate);
            Rate(writer, "missing_rate"u8, feature.MissingRate);
            Rate(writer, "extra_rate"u8, feature.ExtraRate);
            Rate(writer, "consistency"u8, feature.Consistency);
            writer.WriteStartArray("examples"u8);
            foreach (var example in feature.Examples)
            {
                writer.WriteStartObject();
                writer.WriteStartObject("entity"u8);
                foreach (var (key, value) in example.Entity)
                {
                    writer.WritePropertyName(key);
                    Value(writer, value);
                }

                writer.WriteEndObject();
                writer.WriteString("served_at"u8, example.ServedAt.ToUniversalTime());
                writer.WritePropertyName("served"u8);
                Value(writer, example.Served);
                writer.WritePropertyName("offline"u8);
                Value(writer, example.Offline);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void Rate(Utf8JsonWriter writer, ReadOnlySpan<byte> name, double? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    // An example shows a value as the feature holds it; JSON has no NaN or infinity, so those are written as the strings
    // .NET prints for them rather than as null, which here means "no value".
    internal static void Value(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case byte[] bytes:
                writer.WriteBase64StringValue(bytes);
                break;
            case float f when float.IsFinite(f):
                writer.WriteNumberValue(f);
                break;
            case double d when double.IsFinite(d):
                writer.WriteNumberValue(d);
                break;
            case float or double:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
            case sbyte or byte or short or ushort or int or uint or long:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong u:
                writer.WriteNumberValue(u);
                break;
            case decimal m:
                writer.WriteNumberValue(m);
                break;
            case DateTimeOffset t:
                writer.WriteStringValue(t.ToUniversalTime());
                break;
            case DateTime t:
                writer.WriteStringValue(t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc));
                break;
            case IList list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    Value(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
