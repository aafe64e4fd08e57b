using System.Text.Json;
using Granary.Core.Model;
using Granary.Core.Time;

namespace Granary.Registry.Serialization;

/// <summary>
/// The canonical form of a stream feature view's <see cref="StreamSettings"/>, the <c>stream</c> object of its spec:
/// every field written, durations in their canonical spelling, windows as <c>{"window": "7d", "hop": "1h"}</c>
/// (<c>"hop": null</c> takes the view's hop, <c>"window": "lifetime"</c> has none), and the typed event columns
/// (<c>inputs</c>) that the aggregations read.
/// </summary>
internal static class StreamSettingsJson
{
    private const string Lifetime = "lifetime";

    public static void Write(Utf8JsonWriter writer, StreamSettings settings)
    {
        writer.WriteStartObject("stream");
        writer.WriteString("event_id_field", settings.EventIdField);
        writer.WriteString("hop", Durations.Format(settings.Hop));
        writer.WriteString("allowed_lateness", Durations.Format(settings.AllowedLateness));
        writer.WriteStartArray("aggregations");
        foreach (var aggregation in settings.Aggregations)
        {
            writer.WriteStartObject();
            writer.WriteString("function", aggregation.Function);
            writer.WriteString("column", aggregation.Column);
            writer.WriteStartArray("windows");
            foreach (var window in aggregation.Windows)
            {
                writer.WriteStartObject();
                writer.WriteString("window", window.IsLifetime ? Lifetime : Durations.Format(window.Length));
                writer.WriteString("hop", window.Hop is { } hop ? Durations.Format(hop) : null);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteNumber("k", aggregation.K);
            writer.WriteStartArray("percentiles");
            foreach (var percentile in aggregation.Percentiles)
            {
                writer.WriteNumberValue(percentile);
            }

            writer.WriteEndArray();
            writer.WriteString("name", aggregation.Name);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("inputs");
        foreach (var input in settings.Inputs)
        {
            writer.WriteStartObject();
            writer.WriteString("name", input.Name);
            writer.WriteString("dtype", input.Type.ToString());
            CanonicalJson.WriteValidation(writer, input);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The settings of a view's spec, or null for a view of stored values (no <c>stream</c> property).</summary>
    public static StreamSettings? Read(JsonElement view)
    {
        if (!view.TryGetProperty("stream", out var e) || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var aggregations = new List<StreamAggregation>();
        foreach (var a in e.GetProperty("aggregations").EnumerateArray())
        {
            var windows = new List<StreamWindow>();
            foreach (var w in a.GetProperty("windows").EnumerateArray())
            {
                var length = w.GetProperty("window").GetString()!;
                windows.Add(length == Lifetime
                    ? StreamWindow.Lifetime
                    : new StreamWindow(Durations.Parse(length), NullableString(w, "hop") is { } hop ? Durations.Parse(hop) : null));
            }

            var percentiles = new List<double>();
            foreach (var p in a.GetProperty("percentiles").EnumerateArray())
            {
                percentiles.Add(p.GetDouble());
            }

            aggregations.Add(new StreamAggregation
            {
                Function = a.GetProperty("function").GetString()!,
                Column = NullableString(a, "column"),
                Windows = windows,
                K = a.GetProperty("k").GetInt32(),
                Percentiles = percentiles,
                Name = NullableString(a, "name"),
            });
        }

        var inputs = new List<Field>();
        foreach (var input in e.GetProperty("inputs").EnumerateArray())
        {
            inputs.Add(new Field(input.GetProperty("name").GetString()!, FeatureType.Parse(input.GetProperty("dtype").GetString()!))
            {
                Validation = CanonicalJsonReader.ReadValidation(input),
            });
        }

        return new StreamSettings
        {
            EventIdField = NullableString(e, "event_id_field"),
            Hop = Durations.Parse(e.GetProperty("hop").GetString()!),
            AllowedLateness = Durations.Parse(e.GetProperty("allowed_lateness").GetString()!),
            Aggregations = aggregations,
            Inputs = inputs,
        };
    }

    private static string? NullableString(JsonElement e, string property) =>
        e.TryGetProperty(property, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
}
