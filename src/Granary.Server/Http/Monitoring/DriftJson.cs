using System.Text.Json;
using Granary.Drift;
using Granary.Quality.Drift;

namespace Granary.Server.Http.Monitoring;

/// <summary>
/// The JSON of a drift check, as <c>GET /api/v1/monitoring/drift/{view}</c> answers it and <c>granary drift --format json</c>
/// prints it: <c>{"view", "features": [{"name", "ks_statistic", "ks_p_value", "psi", "js_distance", "chi2_statistic",
/// "chi2_p_value", "mean_shift", "std_shift", "severity", "recommendations"}]}</c>, null for measures that do not apply.
/// </summary>
internal static class DriftJson
{
    public static void Write(Utf8JsonWriter writer, DriftReport report)
    {
        writer.WriteStartObject();
        writer.WriteString("view"u8, report.View);
        writer.WriteStartArray("features"u8);
        foreach (var feature in report.Features)
        {
            writer.WriteStartObject();
            writer.WriteString("name"u8, feature.Name);
            Number(writer, "ks_statistic"u8, feature.KsStatistic);
            Number(writer, "ks_p_value"u8, feature.KsPValue);
            Number(writer, "psi"u8, feature.Psi);
            Number(writer, "js_distance"u8, feature.JsDistance);
            Number(writer, "chi2_statistic"u8, feature.Chi2Statistic);
            Number(writer, "chi2_p_value"u8, feature.Chi2PValue);
            Number(writer, "mean_shift"u8, feature.MeanShift);
            Number(writer, "std_shift"u8, feature.StdShift);
            writer.WriteString("severity"u8, Severity(feature.Severity));
            writer.WriteStartArray("recommendations"u8);
            foreach (var recommendation in feature.Recommendations)
            {
                writer.WriteStringValue(recommendation);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The severity as JSON and the CLI spell it: <c>none</c>, <c>low</c>, <c>medium</c>, <c>high</c>.</summary>
    public static string Severity(DriftSeverity severity) => severity switch
    {
        DriftSeverity.Low => "low",
        DriftSeverity.Medium => "medium",
        DriftSeverity.High => "high",
        _ => "none",
    };

    // JSON has no infinity: an unbounded shift (a baseline constant at 0 that moved) is written as the largest double,
    // which still reads as far above any threshold; a measure that does not apply is null.
    private static void Number(Utf8JsonWriter writer, ReadOnlySpan<byte> name, double? value)
    {
        if (value is not { } v || double.IsNaN(v))
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteNumber(name, double.IsPositiveInfinity(v) ? double.MaxValue : double.IsNegativeInfinity(v) ? double.MinValue : v);
        }
    }
}
