using System.Globalization;
using System.Text;
using Granary.OnlineServing;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Quality.Validation;

/// <summary>
/// A repository with one view, <c>scores</c>, over a push source whose batch source is a CSV file (DuckDB reads it),
/// and one validation rule of a chosen kind: rows that pass it and rows that fail it, for push and materialization.
/// </summary>
internal static class RuleRepository
{
    public const string Time = "2026-11-05T00:00:00Z";

    public static readonly string[] Kinds = ["range", "not_null", "enum", "regex", "expression", "unique", "max_null_fraction"];

    /// <summary>user_id, event_timestamp, clicks, impressions, ctr, country: impressions 1111 marks a good row, 2222 a failing one.</summary>
    public sealed record Row(long User, string At, long Clicks, long Impressions, double? Ctr, string? Country);

    public static readonly Row Good = new(1, Time, 1, 1111, 0.5, "US");

    /// <summary>The field and YAML of a rule of <paramref name="kind"/>.</summary>
    public static (string Field, string Rule) RuleOf(string kind) => kind switch
    {
        "range" => ("ctr", "{rule: range, min: 0, max: 1}"),
        "not_null" => ("ctr", "{rule: not_null}"),
        "enum" => ("country", "{rule: enum, values: [US, FR]}"),
        "regex" => ("country", "{rule: regex, pattern: \"^[A-Z]{2}$\"}"),
        "expression" => ("clicks", "{rule: expression, expr: \"clicks <= impressions\"}"),
        "unique" => ("ctr", "{rule: unique}"),
        "max_null_fraction" => ("ctr", "{rule: max_null_fraction, value: 0.4}"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Rows of user 2 that fail the rule of <paramref name="kind"/> (for unique, two at one event time).</summary>
    public static Row[] Failing(string kind) => kind switch
    {
        "range" => [new(2, Time, 1, 2222, 1.5, "US")],
        "not_null" or "max_null_fraction" => [new(2, Time, 1, 2222, null, "US")],
        "enum" => [new(2, Time, 1, 2222, 0.5, "DE")],
        "regex" => [new(2, Time, 1, 2222, 0.5, "usa")],
        "expression" => [new(2, Time, 3000, 2222, 0.5, "US")],
        "unique" => [new(2, Time, 1, 2222, 0.5, "US"), new(2, Time, 2, 2222, 0.25, "US")],
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static TempRepository Create(string kind, string severity = "error", IEnumerable<Row>? csvRows = null)
    {
        var (field, rule) = RuleOf(kind);
        rule = rule[..^1] + $", severity: {severity}}}";
        string Rules(string name) => name == field ? $"\n        validation: [{rule}]" : "";
        return new TempRepository()
            .Write("granary.yaml", "project: quality\nregistry: data/registry.db\n")
            .Write("entities.yaml", "entities:\n  - {name: user, join_keys: [user_id], value_type: int64}\n")
            .Write("features.yaml", $"""
                sources:
                  - {"{"}name: scores_source, type: file, path: data/scores.csv, timestamp_field: event_timestamp{"}"}
                  - {"{"}name: scores_push, type: push, batch_source: scores_source{"}"}
                feature_views:
                  - name: scores
                    entities: [user]
                    ttl: 0
                    source: scores_push
                    schema:
                      - name: clicks
                        dtype: int64{Rules("clicks")}
                      - name: impressions
                        dtype: int64
                      - name: ctr
                        dtype: float64{Rules("ctr")}
                      - name: country
                        dtype: string{Rules("country")}
                """)
            .Write("data/scores.csv", Csv(csvRows ?? [new Row(9, "2026-10-01T00:00:00Z", 0, 1, 0.1, "FR")]));
    }

    public static string Csv(IEnumerable<Row> rows)
    {
        var text = new StringBuilder("user_id,event_timestamp,clicks,impressions,ctr,country\n");
        foreach (var r in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"{r.User},{r.At},{r.Clicks},{r.Impressions},{r.Ctr?.ToString(CultureInfo.InvariantCulture)},{r.Country}\n");
        }

        return text.ToString();
    }

    public static Dictionary<string, IReadOnlyList<object?>> Columns(IEnumerable<Row> rows)
    {
        var list = rows.ToList();
        return new Dictionary<string, IReadOnlyList<object?>>
        {
            ["user_id"] = list.Select(r => (object?)r.User).ToList(),
            ["event_timestamp"] = list.Select(r => (object?)r.At).ToList(),
            ["clicks"] = list.Select(r => (object?)r.Clicks).ToList(),
            ["impressions"] = list.Select(r => (object?)r.Impressions).ToList(),
            ["ctr"] = list.Select(r => (object?)r.Ctr).ToList(),
            ["country"] = list.Select(r => (object?)r.Country).ToList(),
        };
    }

    /// <summary>Per user, whether the online store serves a value of <c>scores:impressions</c>.</summary>
    public static async Task<bool[]> ServedAsync(FeatureStore store, params long[] users)
    {
        var response = await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = users.Select(u => (object?)u).ToList() },
            Features = ["scores:impressions"],
        });
        return [.. response["impressions"].Statuses.ToArray().Select(s => s == FeatureStatus.Present)];
    }

    /// <summary>Everything logged offline by pushes, as text ("" when nothing was).</summary>
    public static string PushLog(TempRepository repo)
    {
        var directory = Path.Combine(repo.Root, "data", "scores.csv.pushed");
        return Directory.Exists(directory) ? string.Concat(Directory.GetFiles(directory, "*", SearchOption.AllDirectories).Select(File.ReadAllText)) : "";
    }
}
