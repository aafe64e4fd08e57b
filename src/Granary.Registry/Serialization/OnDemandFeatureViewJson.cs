using System.Text.Json;
using Granary.Core.Model;

namespace Granary.Registry.Serialization;

/// <summary>
/// The canonical form of an on-demand feature view, after its name and metadata:
/// <c>"sources":[...],"request_schema":[{"name","dtype","description"}],"features":[{"name","dtype","expr","function"}],"write_to_online_store":false</c>
/// (an absent <c>expr</c> or <c>function</c> is written as null), then, only when zscore or minmax read some,
/// <c>"statistics":[{"feature","profile_id","mean","stddev","min","max"}]</c>: written only then, so views that read
/// none keep the form (and hash) they always had.
/// </summary>
internal static class OnDemandFeatureViewJson
{
    public static void Write(Utf8JsonWriter writer, OnDemandFeatureView view)
    {
        writer.WriteStartArray("sources");
        foreach (var source in view.Sources)
        {
            writer.WriteStringValue(source);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("request_schema");
        foreach (var field in view.RequestSchema)
        {
            writer.WriteStartObject();
            writer.WriteString("name", field.Name);
            writer.WriteString("dtype", field.Type.ToString());
            writer.WriteString("description", field.Description);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("features");
        foreach (var feature in view.Features)
        {
            writer.WriteStartObject();
            writer.WriteString("name", feature.Name);
            writer.WriteString("dtype", feature.Type.ToString());
            writer.WriteString("expr", feature.Expression);
            writer.WriteString("function", feature.Function);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteBoolean("write_to_online_store", view.WriteToOnlineStore);
        if (view.Statistics.Count == 0)
        {
            return;
        }

        writer.WriteStartArray("statistics");
        foreach (var statistic in view.Statistics)
        {
            writer.WriteStartObject();
            writer.WriteString("feature", statistic.Feature);
            writer.WriteString("profile_id", statistic.ProfileId);
            Number(writer, "mean", statistic.Mean);
            Number(writer, "stddev", statistic.StdDev);
            Number(writer, "min", statistic.Min);
            Number(writer, "max", statistic.Max);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void Number(Utf8JsonWriter writer, string name, double? value)
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

    private static double? Number(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).GetDouble();

    public static OnDemandFeatureView Read(JsonElement e)
    {
        var sources = new List<string>();
        foreach (var item in e.GetProperty("sources").EnumerateArray())
        {
            sources.Add(item.GetString() ?? "");
        }

        var request = new List<Field>();
        foreach (var item in e.GetProperty("request_schema").EnumerateArray())
        {
            request.Add(new Field(item.GetProperty("name").GetString()!, FeatureType.Parse(item.GetProperty("dtype").GetString()!))
            {
                Description = item.GetProperty("description").GetString() ?? "",
            });
        }

        var features = new List<OnDemandFeature>();
        foreach (var item in e.GetProperty("features").EnumerateArray())
        {
            features.Add(new OnDemandFeature(item.GetProperty("name").GetString()!, FeatureType.Parse(item.GetProperty("dtype").GetString()!))
            {
                Expression = item.GetProperty("expr").GetString(),
                Function = item.GetProperty("function").GetString(),
            });
        }

        var statistics = new List<OnDemandStatistic>();
        if (e.TryGetProperty("statistics", out var stored))
        {
            foreach (var item in stored.EnumerateArray())
            {
                statistics.Add(new OnDemandStatistic(item.GetProperty("feature").GetString()!, item.GetProperty("profile_id").GetString()!)
                {
                    Mean = Number(item, "mean"),
                    StdDev = Number(item, "stddev"),
                    Min = Number(item, "min"),
                    Max = Number(item, "max"),
                });
            }
        }

        return new OnDemandFeatureView
        {
            Name = e.GetProperty("name").GetString()!,
            Sources = sources,
            RequestSchema = request,
            Features = features,
            WriteToOnlineStore = e.GetProperty("write_to_online_store").GetBoolean(),
            Statistics = statistics,
        };
    }
}
