using System.Text.Json;
using Granary.Core.Model;

namespace Granary.Registry.Serialization;

/// <summary>
/// An experiment's canonical JSON after its metadata: <c>feature_view</c>, then <c>variants</c> in declared order (the
/// order assignment depends on), each <c>{name, version, share}</c> with the version in its selector spelling.
/// </summary>
internal static class ExperimentJson
{
    public static void Write(Utf8JsonWriter writer, Experiment experiment)
    {
        writer.WriteString("feature_view", experiment.FeatureView);
        writer.WriteStartArray("variants");
        foreach (var variant in experiment.Variants)
        {
            writer.WriteStartObject();
            writer.WriteString("name", variant.Name);
            writer.WriteString("version", variant.Version.ToString());
            writer.WriteNumber("share", variant.Share);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    public static Experiment Read(JsonElement e)
    {
        var variants = new List<ExperimentVariant>();
        foreach (var v in e.GetProperty("variants").EnumerateArray())
        {
            var version = v.GetProperty("version").GetString();
            if (!FeatureVersionSelector.TryParse(version, out var selector))
            {
                throw new FormatException($"invalid experiment variant version '{version}'");
            }

            variants.Add(new ExperimentVariant(v.GetProperty("name").GetString() ?? "", selector, v.GetProperty("share").GetDouble()));
        }

        return new Experiment
        {
            Name = e.GetProperty("name").GetString() ?? "",
            FeatureView = e.GetProperty("feature_view").GetString() ?? "",
            Variants = variants,
        };
    }
}
