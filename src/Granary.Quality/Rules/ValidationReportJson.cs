using System.Globalization;
using System.Text.Json;
using Granary.Core.Model;

namespace Granary.Quality.Rules;

/// <summary>
/// The JSON of a <see cref="ValidationReport"/>, the same bytes for the CLI and the server:
/// <c>{"view", "start", "end", "passed", "rules": [{"feature", "rule", "severity", "failed", "total", "example"}]}</c>,
/// times in ISO-8601 UTC (null for an open end), <c>example</c> a string or null.
/// </summary>
internal static class ValidationReportJson
{
    public static void Write(Utf8JsonWriter writer, ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(report);
        writer.WriteStartObject();
        writer.WriteString("view"u8, report.View);
        WriteTime(writer, "start"u8, report.Start);
        WriteTime(writer, "end"u8, report.End);
        writer.WriteBoolean("passed"u8, report.Passed);
        writer.WriteStartArray("rules"u8);
        foreach (var rule in report.Rules)
        {
            writer.WriteStartObject();
            writer.WriteString("feature"u8, rule.Feature);
            writer.WriteString("rule"u8, rule.Rule);
            writer.WriteString("severity"u8, rule.Severity.Key());
            writer.WriteNumber("failed"u8, rule.Failed);
            writer.WriteNumber("total"u8, rule.Total);
            if (rule.Example is { } example)
            {
                writer.WriteString("example"u8, example);
            }
            else
            {
                writer.WriteNull("example"u8);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>An instant as the report writes it: <c>2026-11-01T00:00:00.0000000Z</c>.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static void WriteTime(Utf8JsonWriter writer, ReadOnlySpan<byte> name, DateTimeOffset? time)
    {
        if (time is { } t)
        {
            writer.WriteString(name, Time(t));
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
