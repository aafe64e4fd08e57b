using System.Text.Json;
using Granary.Core.Model;

namespace Granary.Registry.Serialization;

/// <summary>
/// The canonical form of an on-demand feature view, after its name and metadata:
/// <c>"sources":[...],"request_schema":[{"name","dtype","description"}],"features":[{"name","dtype","expr","function"}],"write_to_online_store":false</c>
/// (an absent <c>expr</c> or <c>function</c> is written as null).
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
    }

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

        return new OnDemandFeatureView
        {
            Name = e.GetProperty("name").GetString()!,
            Sources = sources,
            RequestSchema = request,
            Features = features,
            WriteToOnlineStore = e.GetProperty("write_to_online_store").GetBoolean(),
        };
    }
}
