using System.Text.Json;
using Granary.Experiments;

namespace Granary.Server.Http.Experiments;

/// <summary>
/// The JSON of an experiment's exposure report, as <c>GET /api/v1/experiments/{name}/report</c> answers it and
/// <c>granary experiments report NAME --format json</c> prints it: <c>{"experiment", "feature_view", "start", "end",
/// "units", "units_in_several_variants", "sample_ratio_p_value", "variants": [{"name", "version", "declared_share",
/// "exposures", "units", "unit_share"}]}</c>; <c>declared_share</c> is null for a variant logged but no longer
/// declared, <c>sample_ratio_p_value</c> null with fewer than two variants or no units.
/// </summary>
internal static class ExperimentReportJson
{
    public static void Write(Utf8JsonWriter writer, ExperimentReport report)
    {
        writer.WriteStartObject();
        writer.WriteString("experiment"u8, report.Experiment);
        writer.WriteString("feature_view"u8, report.FeatureView);
        writer.WriteString("start"u8, report.Start.ToUniversalTime());
        writer.WriteString("end"u8, report.End.ToUniversalTime());
        writer.WriteNumber("units"u8, report.Units);
        writer.WriteNumber("units_in_several_variants"u8, report.UnitsInSeveralVariants);
        Number(writer, "sample_ratio_p_value"u8, report.SampleRatioPValue);
        writer.WriteStartArray("variants"u8);
        foreach (var variant in report.Variants)
        {
            writer.WriteStartObject();
            writer.WriteString("name"u8, variant.Variant);
            writer.WriteString("version"u8, variant.Version);
            Number(writer, "declared_share"u8, variant.DeclaredShare);
            writer.WriteNumber("exposures"u8, variant.Exposures);
            writer.WriteNumber("units"u8, variant.Units);
            writer.WriteNumber("unit_share"u8, variant.UnitShare);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter writer, ReadOnlySpan<byte> name, double? value)
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
}
