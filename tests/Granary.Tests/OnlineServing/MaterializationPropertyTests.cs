using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Core.Model;
using Granary.Core.Time;
using Granary.Core.Values;
using Granary.Materialization;
using Granary.Offline;
using Granary.Online;
using Granary.OnlineServing;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.OnlineServing;

/// <summary>
/// Random sources materialized through the pipeline (real DuckDB engine, real embedded store) in random batch sizes,
/// so rows cross batch boundaries and stages overlap, against a naive reference worked out from the source rows in
/// plain C#: per entity, the row with the greatest (event time, created time) in the interval, every feature typed
/// as the view declares it (int32 and int64 read as they are, float64 widened from an integer column, nulls kept), a
/// row without a key skipped. The stored record of every entity, and the counts, must be what the reference says.
/// </summary>
public sealed class MaterializationPropertyTests
{
    private static readonly string[] Strings = ["", "a", "é", "日本語", "x y", "\U0001F600"];
    private static readonly DateTimeOffset Origin = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    internal sealed record Row(long? User, int Hour, int? CreatedHour, long? I, double? D, string? S, bool? Flag, int? N32, int? W);

    internal sealed record Case(Row[] Rows, int BatchSize, int FirstHour, int LastHour)
    {
        public override string ToString() => $"batch={BatchSize} hours=[{FirstHour},{LastHour}] rows=[{string.Join("; ", Rows.AsEnumerable())}]";
    }

    [Property(MaxTest = 25)]
    public Property Pipelined_materialization_stores_what_the_naive_reference_says() =>
        Prop.ForAll(CaseGen().ToArbitrary(), c => CheckAsync(c).GetAwaiter().GetResult());

    private static Gen<Case> CaseGen() =>
        Gen.ArrayOf(Gen.Choose(0, 999), 3).SelectMany(p =>
            Gen.Choose(0, 40).SelectMany(n => Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(0, 999), 9), n)).Select(cells =>
            {
                var seen = new HashSet<(long?, int, int?)>();
                var rows = cells.Select(ToRow).Where(r => seen.Add((r.User, r.Hour, r.CreatedHour))).ToArray();
                var (a, b) = (p[1] % 4, p[2] % 4);
                return new Case(rows, 1 + (p[0] % 6), Math.Min(a, b), Math.Max(a, b));
            }));

    // Ties on (user, event, created) are left out: which of two such rows wins is not specified.
    private static Row ToRow(int[] v) => new(
        v[0] % 11 == 10 ? null : v[0] % 11,
        v[1] % 4,
        v[2] % 4 == 3 ? null : v[2] % 4,
        v[3] % 10 == 0 ? null : (v[3] - 500) * 1_000_003L,
        v[4] % 10 == 0 ? null : (v[4] - 500) / 8.0,
        v[5] % 7 == 0 ? null : Strings[v[5] % Strings.Length],
        (v[6] % 3) switch { 0 => null, 1 => true, _ => false },
        v[7] % 9 == 0 ? null : v[7] - 500,
        v[8] % 5 == 0 ? null : v[8]);

    private static async Task CheckAsync(Case c)
    {
        using var repo = new TempRepository();
        repo.Write("granary.yaml", "project: prop\nonline_store: {type: embedded}\n")
            .Write("features.yaml", """
                entities:
                  - {name: user, join_keys: [user_id], value_type: int64}
                sources:
                  - {name: events, type: file, path: data/events.parquet, timestamp_field: ts, created_timestamp_column: created}
                feature_views:
                  - name: stats
                    entities: [user]
                    source: events
                    schema:
                      - {name: i, dtype: int64}
                      - {name: d, dtype: float64}
                      - {name: s, dtype: string}
                      - {name: flag, dtype: bool}
                      - {name: n32, dtype: int32}
                      - {name: w, dtype: float64}
                """);
        await WriteSourceAsync(Path.Combine(repo.Root, "data", "events.parquet"), c.Rows);
        await using var store = FeatureStore.Open(repo.Root);
        await store.ApplyAsync();
        await store.Online.InitializeAsync();
        var registry = await store.GetRegistryAsync();
        var plan = OnlineViewPlan.For(registry.Definitions.FindFeatureView("stats")!, registry.Definitions);
        var materializer = new Materializer(store.Offline.Require<ILatestValuesReader>("materialize"), store.Online, repo.Root) { BatchSize = c.BatchSize };

        var result = await materializer.MaterializeAsync(plan, Origin.AddHours(c.FirstHour), Origin.AddHours(c.LastHour));

        var inInterval = c.Rows.Where(r => r.Hour >= c.FirstHour && r.Hour <= c.LastHour).ToList();
        var latest = inInterval.GroupBy(r => r.User)
            .ToDictionary(g => g.Key ?? -1, g => g.OrderByDescending(r => r.Hour).ThenByDescending(r => r.CreatedHour ?? int.MinValue).First());
        var keyless = inInterval.Any(r => r.User is null) ? 1 : 0;
        Assert.Equal(latest.Count, result.Rows);
        Assert.Equal(keyless, result.Skipped);
        Assert.Equal(latest.Count - keyless, result.Written);

        var keys = Enumerable.Range(0, 10).Select(u => new OnlineKey("stats", EntityKey.Create(FeatureValue.Int64(u)))).ToArray();
        var records = new byte[]?[keys.Length];
        await store.Online.ReadAsync(keys, records);
        for (var user = 0; user < keys.Length; user++)
        {
            if (!latest.TryGetValue(user, out var row))
            {
                Assert.Null(records[user]);
                continue;
            }

            var record = records[user];
            Assert.NotNull(record);
            var values = new FeatureValue[plan.Schema.Count];
            Assert.True(OnlineRecord.TryDecode(record, plan.Schema, values));
            Assert.Equal(Micros(row.Hour), OnlineRecord.EventMicros(record));
            Assert.Equal(row.CreatedHour is { } created ? Micros(created) : UtcMicros.None, OnlineRecord.CreatedMicros(record));
            Assert.Equal(Expected(row), values);
        }

        Assert.Equal(Origin.AddHours(c.LastHour), await store.Online.GetWatermarkAsync("stats"));
    }

    private static FeatureValue[] Expected(Row r) =>
    [
        r.I is { } i ? FeatureValue.Int64(i) : FeatureValue.Null(FeatureType.Int64),
        r.D is { } d ? FeatureValue.Float64(d) : FeatureValue.Null(FeatureType.Float64),
        r.S is { } s ? FeatureValue.String(s) : FeatureValue.Null(FeatureType.String),
        r.Flag is { } f ? FeatureValue.Bool(f) : FeatureValue.Null(FeatureType.Bool),
        r.N32 is { } n ? FeatureValue.Int32(n) : FeatureValue.Null(FeatureType.Int32),
        r.W is { } w ? FeatureValue.Float64(w) : FeatureValue.Null(FeatureType.Float64),
    ];

    private static long Micros(int hour) => UtcMicros.From(Origin.AddHours(hour));

    private static async Task WriteSourceAsync(string path, Row[] rows)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var sql = new StringBuilder("""
            SET TimeZone = 'UTC';
            CREATE TABLE t (user_id BIGINT, ts TIMESTAMPTZ, created TIMESTAMPTZ, i BIGINT, d DOUBLE, s VARCHAR, flag BOOLEAN, n32 INTEGER, w INTEGER);
            """);
        foreach (var r in rows)
        {
            sql.Append(CultureInfo.InvariantCulture,
                $"INSERT INTO t VALUES ({Literal(r.User)}, {Time(r.Hour)}, {(r.CreatedHour is { } h ? Time(h) : "NULL")}, {Literal(r.I)}, {Literal(r.D)}, {(r.S is null ? "NULL" : $"'{r.S}'")}, {(r.Flag is { } f ? (f ? "true" : "false") : "NULL")}, {Literal(r.N32)}, {Literal(r.W)});\n");
        }

        sql.Append(CultureInfo.InvariantCulture, $"COPY t TO '{path.Replace("'", "''", StringComparison.Ordinal)}' (FORMAT parquet);");
        await using var connection = new DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql.ToString();
        await command.ExecuteNonQueryAsync();
    }

    private static string Time(int hour) => $"TIMESTAMPTZ '2026-01-01 {hour:00}:00:00+00'";

    private static string Literal<T>(T? value)
        where T : struct, IFormattable => value is { } v ? v.ToString(null, CultureInfo.InvariantCulture) : "NULL";
}
