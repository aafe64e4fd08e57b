using System.Globalization;
using System.Text;
using System.Text.Json;
using Granary.Core.Model;
using Granary.Core.Time;
using Granary.Core.Values;
using Granary.Streaming.Sources;

namespace Granary.Tests.Streaming.Consumers;

/// <summary>
/// One event of <see cref="ConsumerTestViews"/> as a producer would write it, by hand and independently of the
/// decoder: Redis field/value text, or a JSON object, with the event time in any of the documented forms.
/// </summary>
/// <param name="Columns">In the order of <see cref="ConsumerTestViews.Columns"/>; a null value is left out of the message.</param>
/// <param name="TimeForm">0: ISO-8601 with an offset; 1: ISO-8601 in UTC with Z; 2: ISO-8601 with a space and no offset; 3: epoch seconds.</param>
/// <param name="Variant">Varies the spelling where several are accepted (booleans, JSON nulls for absent columns).</param>
internal sealed record EventMessage(long User, string Merchant, long EventMicros, int TimeForm, int OffsetMinutes, FeatureValue[] Columns, int Variant, string EventId)
{
    /// <summary>The event the decoder must produce, its columns in the plan's order.</summary>
    public (EntityKey Entity, long EventMicros, FeatureValue[] Columns) Expected(StreamEventShape shape)
    {
        var columns = new FeatureValue[shape.Columns.Count];
        for (var c = 0; c < columns.Length; c++)
        {
            columns[c] = Columns[Array.FindIndex(ConsumerTestViews.Columns, f => f.Name == shape.Columns[c].Name)];
        }

        return (EntityKey.Create(FeatureValue.Int64(User), FeatureValue.String(Merchant)), EventMicros, columns);
    }

    /// <summary>The event as a Redis entry's field/value pairs.</summary>
    public KeyValuePair<string, string>[] ToFields()
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("user_id", User.ToString(CultureInfo.InvariantCulture)),
            new("ts", TimeText()),
            new("merchant_id", Merchant),
            new("txn_id", EventId),
            new("unused", "anything at all"),
        };
        for (var c = 0; c < Columns.Length; c++)
        {
            if (!Columns[c].IsNull)
            {
                fields.Add(new(ConsumerTestViews.Columns[c].Name, Text(Columns[c])));
            }
        }

        return [.. fields];
    }

    /// <summary>The event as a JSON object's UTF-8 bytes.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("unused", "skipped");
            writer.WriteNumber("user_id", User);
            writer.WriteString("merchant_id", Merchant);
            if (TimeForm == 3)
            {
                writer.WriteNumber("ts", EventMicros / 1_000_000m);
            }
            else
            {
                writer.WriteString("ts", TimeText());
            }

            writer.WriteString("txn_id", EventId);
            writer.WriteStartArray("ignored_list");
            writer.WriteNumberValue(1);
            writer.WriteEndArray();
            for (var c = 0; c < Columns.Length; c++)
            {
                var name = ConsumerTestViews.Columns[c].Name;
                var value = Columns[c];
                if (value.IsNull)
                {
                    if (Variant % 2 == 1)
                    {
                        writer.WriteNull(name);
                    }

                    continue;
                }

                switch (value.Type.Kind)
                {
                    case ScalarKind.Float64: writer.WriteNumber(name, value.AsFloat64()); break;
                    case ScalarKind.Float32: writer.WriteNumber(name, value.AsFloat32()); break;
                    case ScalarKind.Int32: writer.WriteNumber(name, value.AsInt32()); break;
                    case ScalarKind.Int64: writer.WriteNumber(name, value.AsInt64()); break;
                    case ScalarKind.Bool: writer.WriteBoolean(name, value.AsBool()); break;
                    case ScalarKind.String: writer.WriteString(name, value.AsString()); break;
                    case ScalarKind.Bytes: writer.WriteBase64String(name, value.AsBytes()); break;
                    default: writer.WriteNumber(name, value.AsTimestampMicros() / 1_000_000m); break;
                }
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private string TimeText()
    {
        var utc = UtcMicros.ToDateTimeOffset(EventMicros);
        return TimeForm switch
        {
            0 => utc.ToOffset(TimeSpan.FromMinutes(OffsetMinutes)).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
            1 => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
            2 => utc.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
            _ => (EventMicros / 1_000_000m).ToString(CultureInfo.InvariantCulture),
        };
    }

    private string Text(FeatureValue value) => value.Type.Kind switch
    {
        ScalarKind.Float64 => value.AsFloat64().ToString("R", CultureInfo.InvariantCulture),
        ScalarKind.Float32 => value.AsFloat32().ToString("R", CultureInfo.InvariantCulture),
        ScalarKind.Int32 => value.AsInt32().ToString(CultureInfo.InvariantCulture),
        ScalarKind.Int64 => value.AsInt64().ToString(CultureInfo.InvariantCulture),
        ScalarKind.Bool => (Variant % 3) switch
        {
            0 => value.AsBool() ? "true" : "false",
            1 => value.AsBool() ? "1" : "0",
            _ => value.AsBool() ? "TRUE" : "False",
        },
        ScalarKind.String => value.AsString(),
        ScalarKind.Bytes => Convert.ToBase64String(value.AsBytes()),
        _ => (value.AsTimestampMicros() / 1_000_000m).ToString(CultureInfo.InvariantCulture),
    };
}
