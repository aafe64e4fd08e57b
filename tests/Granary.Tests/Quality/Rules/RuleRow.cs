using System.Globalization;
using System.Text;
using System.Text.Json;
using Granary.Core.Model;
using Granary.Offline.Retrieval;

namespace Granary.Tests.Quality.Rules;

/// <summary>One source row of the validated view <c>ads</c>: a user, an event time and four nullable columns.</summary>
public sealed record RuleRow(long UserId, DateTime At, double? Ctr, long? Clicks, long? Impressions, string? Country)
{
    public static readonly DateTime Start = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime End = Start.AddDays(1);

    /// <summary>The view: rules on ctr, country and clicks, one of each kind (the null fraction a warning).</summary>
    public static FeatureView View(string source, params (string Field, FieldValidationRule[] Rules)[] rules)
    {
        Field Field(string name, FeatureType type) =>
            new(name, type) { Validation = rules.FirstOrDefault(r => r.Field == name).Rules ?? [] };
        return new FeatureView
        {
            Name = "ads",
            Entities = ["user"],
            Schema = [Field("ctr", FeatureType.Float64), Field("clicks", FeatureType.Int64), Field("impressions", FeatureType.Int64), Field("country", FeatureType.String)],
            Ttl = TimeSpan.Zero,
            Source = source,
        };
    }

    /// <summary>The rules of the known dataset's test: range, not_null and max_null_fraction on ctr, enum, regex and unique on country, an expression on clicks.</summary>
    public static (string, FieldValidationRule[])[] AllKinds =>
    [
        ("ctr", [Rule("range", ("min", 0), ("max", 1)), Rule("not_null"), Rule("max_null_fraction", ValidationSeverity.Warn, ("value", 0.2))]),
        ("country", [Rule("enum", ("values", new[] { "US", "FR" })), Rule("regex", ("pattern", "^[A-Z]{2}$")), Rule("unique")]),
        ("clicks", [Rule("expression", ("expr", "clicks <= impressions"))]),
    ];

    public static FieldValidationRule Rule(string kind, params (string Key, object Value)[] parameters) => Rule(kind, ValidationSeverity.Error, parameters);

    public static FieldValidationRule Rule(string kind, ValidationSeverity severity, params (string Key, object Value)[] parameters) =>
        new(kind, severity) { Parameters = parameters.ToDictionary(p => p.Key, p => JsonSerializer.SerializeToElement(p.Value)) };

    public static RuleEvaluationRequest Request(FeatureView view, BatchSource source, string root, DateTime? start = null, DateTime? end = null) =>
        new(
            new PointInTimeView(view, source, ["user_id"], [.. view.Schema.Select(f => f.Name)]),
            [FeatureType.Int64],
            new DateTimeOffset(start ?? Start),
            new DateTimeOffset(end ?? End),
            root);

    /// <summary>The rows as a <c>SELECT</c> both engines read (columns user_id, ts, ctr, clicks, impressions, country).</summary>
    public static string ValuesSelect(IReadOnlyList<RuleRow> rows, string doubleType, string textType)
    {
        string Text(string? s) => s is null ? $"CAST(NULL AS {textType})" : $"CAST('{s.Replace("'", "''", StringComparison.Ordinal)}' AS {textType})";
        string Long(long? n) => n is { } v ? $"CAST({v} AS bigint)" : "CAST(NULL AS bigint)";
        var values = rows.Select(r => new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"({Long(r.UserId)}, CAST('{r.At:yyyy-MM-dd HH:mm:ss}+00' AS timestamptz), ")
            .Append(r.Ctr is { } c ? $"CAST('{c.ToString("R", CultureInfo.InvariantCulture)}' AS {doubleType}), " : $"CAST(NULL AS {doubleType}), ")
            .Append(Long(r.Clicks)).Append(", ").Append(Long(r.Impressions)).Append(", ")
            .Append(Text(r.Country)).Append(')')
            .ToString()).ToList();
        var empty = values.Count == 0;
        if (empty)
        {
            values.Add($"(CAST(0 AS bigint), CAST('2000-01-01 00:00:00+00' AS timestamptz), CAST(NULL AS {doubleType}), CAST(NULL AS bigint), CAST(NULL AS bigint), CAST(NULL AS {textType}))");
        }

        return $"SELECT * FROM (VALUES {string.Join(", ", values)}) AS t(user_id, ts, ctr, clicks, impressions, country){(empty ? " WHERE false" : "")}";
    }
}
