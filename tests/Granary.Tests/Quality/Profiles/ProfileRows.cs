using System.Globalization;
using System.Text;
using Granary.Core.Model;
using Granary.Offline.Retrieval;

namespace Granary.Tests.Quality.Profiles;

/// <summary>One generated source row of the profiled view: an event time and four nullable features of four types.</summary>
public sealed record ProfileRow(DateTime At, double? Ctr, long? Clicks, string? Country, bool? Active)
{
    public static readonly DateTime Origin = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The period profiled: rows at hours 20 to 79; rows at hour 80 and after are outside it.</summary>
    public static readonly DateTime Start = Origin.AddHours(20);
    public static readonly DateTime End = Origin.AddHours(80);

    private static readonly string[] Countries = ["de", "fr", "us", "ü", "Fr", "it's"];

    /// <summary>Rows from <paramref name="seed"/>: event times on whole hours (so some land on both ends), values with duplicates and nulls.</summary>
    public static List<ProfileRow> Generate(int seed, int maxRows = 80)
    {
        var random = new Random(seed);
        var count = random.Next(maxRows + 1);
        var rows = new List<ProfileRow>(count);
        for (var i = 0; i < count; i++)
        {
            rows.Add(new ProfileRow(
                Origin.AddHours(random.Next(101)),
                random.Next(5) == 0 ? null : Math.Round((random.NextDouble() * 100) - 30, 1),
                random.Next(5) == 0 ? null : random.Next(-5, 20),
                random.Next(5) == 0 ? null : Countries[random.Next(Countries.Length)],
                random.Next(5) == 0 ? null : random.Next(3) > 0));
        }

        return rows;
    }

    public static FeatureView View(string source) => new()
    {
        Name = "activity",
        Entities = [],
        Schema = [new Field("ctr", FeatureType.Float64), new Field("clicks", FeatureType.Int64), new Field("country", FeatureType.String), new Field("active", FeatureType.Bool)],
        Ttl = TimeSpan.Zero,
        Source = source,
    };

    public static ProfileRequest Request(BatchSource source, string root) =>
        new(new PointInTimeView(View(source.Name), source, [], ["ctr", "clicks", "country", "active"]), new DateTimeOffset(Start), new DateTimeOffset(End), root);

    /// <summary>The rows as a <c>SELECT ... FROM (VALUES ...)</c> both DuckDB and PostgreSQL read (types cast explicitly).</summary>
    public static string ValuesSelect(IReadOnlyList<ProfileRow> rows, string doubleType, string textType)
    {
        string Text(string? s) => s is null ? $"CAST(NULL AS {textType})" : $"CAST('{s.Replace("'", "''", StringComparison.Ordinal)}' AS {textType})";
        var values = rows.Select(r => new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"(CAST('{r.At:yyyy-MM-dd HH:mm:ss}+00' AS timestamptz), ")
            .Append(r.Ctr is { } c ? $"CAST('{c.ToString("R", CultureInfo.InvariantCulture)}' AS {doubleType}), " : $"CAST(NULL AS {doubleType}), ")
            .Append(r.Clicks is { } n ? $"CAST({n} AS bigint), " : "CAST(NULL AS bigint), ")
            .Append(Text(r.Country)).Append(", ")
            .Append(r.Active is { } b ? (b ? "true" : "false") : "CAST(NULL AS boolean)")
            .Append(')')
            .ToString()).ToList();
        var empty = values.Count == 0;
        if (empty)
        {
            values.Add($"(CAST('2000-01-01 00:00:00+00' AS timestamptz), CAST(NULL AS {doubleType}), CAST(NULL AS bigint), CAST(NULL AS {textType}), CAST(NULL AS boolean))");
        }

        return $"SELECT * FROM (VALUES {string.Join(", ", values)}) AS t(ts, ctr, clicks, country, active){(empty ? " WHERE false" : "")}";
    }
}
