using System.Data.Common;
using Granary.Cli.Quickstart;
using Granary.Core.Model;
using Granary.Offline.DuckDb;

namespace Granary.Tests.Quickstart;

/// <summary>Generates the default data set once; every test reads it back through DuckDB.</summary>
public sealed class DemoDataFixture : IAsyncLifetime
{
    public string Root { get; } = Directory.CreateTempSubdirectory("granary-demo-").FullName;

    internal DemoDataOptions Options { get; } = new();

    internal DemoDataSummary Summary { get; private set; } = null!;

    public string DataPath(string file) => Path.Combine(Root, "data", file);

    public async Task InitializeAsync() => Summary = await DemoDataGenerator.GenerateAsync(Root, Options);

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }
}

public sealed class DemoDataGeneratorTests(DemoDataFixture data) : IClassFixture<DemoDataFixture>
{
    public static TheoryData<string, string[]> ExpectedColumns => new()
    {
        { "users.parquet", ["user_id:BIGINT", "age:INTEGER", "country:VARCHAR", "device:VARCHAR", "signup_timestamp:TIMESTAMP WITH TIME ZONE", "event_timestamp:TIMESTAMP WITH TIME ZONE", "created:TIMESTAMP WITH TIME ZONE"] },
        { "ads.parquet", ["ad_id:BIGINT", "advertiser_id:BIGINT", "category:VARCHAR", "bid_cpm:DOUBLE", "event_timestamp:TIMESTAMP WITH TIME ZONE", "created:TIMESTAMP WITH TIME ZONE"] },
        { "impressions.parquet", ["impression_id:BIGINT", "user_id:BIGINT", "ad_id:BIGINT", "event_timestamp:TIMESTAMP WITH TIME ZONE", "clicked:BOOLEAN", "converted:BOOLEAN"] },
        { "clicks.parquet", ["impression_id:BIGINT", "user_id:BIGINT", "ad_id:BIGINT", "event_timestamp:TIMESTAMP WITH TIME ZONE"] },
        { "conversions.parquet", ["impression_id:BIGINT", "user_id:BIGINT", "ad_id:BIGINT", "event_timestamp:TIMESTAMP WITH TIME ZONE", "revenue:DOUBLE"] },
        { "user_activity.parquet", ["user_id:BIGINT", "event_timestamp:TIMESTAMP WITH TIME ZONE", "created:TIMESTAMP WITH TIME ZONE", "impressions_7d:BIGINT", "clicks_7d:BIGINT", "ctr_7d:DOUBLE", "conversions_30d:BIGINT", "spend_30d:DOUBLE"] },
        { "ad_performance.parquet", ["ad_id:BIGINT", "event_timestamp:TIMESTAMP WITH TIME ZONE", "created:TIMESTAMP WITH TIME ZONE", "impressions_1d:BIGINT", "clicks_1d:BIGINT", "ctr_7d:DOUBLE"] },
    };

    [Theory]
    [MemberData(nameof(ExpectedColumns))]
    public async Task Every_file_has_the_columns_the_definitions_use(string file, string[] expected)
    {
        var source = new FileSource { Name = file, Path = data.DataPath(file), Format = FileFormat.Parquet, TimestampField = "event_timestamp" };

        var schema = await new DuckDbSourceSchemaInspector().InspectAsync(source, data.Root);

        Assert.Equal(expected, schema!.Columns.Select(c => $"{c.Name}:{c.EngineType}"));
    }

    [Fact]
    public async Task The_summary_counts_the_rows_of_each_file()
    {
        Assert.Equal(DemoDataGenerator.FileNames, data.Summary.Files.Select(f => f.Name));
        foreach (var file in data.Summary.Files)
        {
            Assert.Equal(await ScalarAsync<long>($"SELECT count(*) FROM {Read(file.Name)}"), file.Rows);
        }

        Assert.Equal(data.Options.Impressions, data.Summary.Files.Single(f => f.Name == "impressions.parquet").Rows);
        Assert.Equal(data.Options.Users, await ScalarAsync<long>($"SELECT count(DISTINCT user_id) FROM {Read("users.parquet")}"));
        Assert.Equal(data.Options.Ads, await ScalarAsync<long>($"SELECT count(DISTINCT ad_id) FROM {Read("ads.parquet")}"));
        Assert.Equal(new DateTimeOffset(2026, 10, 2, 0, 0, 0, TimeSpan.Zero), data.Summary.WindowStart);
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_data_and_another_seed_does_not()
    {
        var again = Directory.CreateTempSubdirectory("granary-demo-again-").FullName;
        var other = Directory.CreateTempSubdirectory("granary-demo-other-").FullName;
        try
        {
            await DemoDataGenerator.GenerateAsync(again, data.Options);
            await DemoDataGenerator.GenerateAsync(other, data.Options with { Seed = data.Options.Seed + 1 });

            foreach (var file in DemoDataGenerator.FileNames)
            {
                var original = await ContentHashAsync(data.DataPath(file));
                Assert.Equal(original, await ContentHashAsync(Path.Combine(again, "data", file)));
                Assert.NotEqual(original, await ContentHashAsync(Path.Combine(other, "data", file)));
            }
        }
        finally
        {
            Directory.Delete(again, recursive: true);
            Directory.Delete(other, recursive: true);
        }
    }

    [Fact]
    public async Task No_event_happens_at_or_after_the_anchor_and_none_before_the_window()
    {
        foreach (var file in new[] { "impressions.parquet", "clicks.parquet", "conversions.parquet" })
        {
            var (min, max) = await RangeAsync(file);
            Assert.True(max < data.Options.Anchor, $"{file}: {max:O}");
            Assert.True(min >= data.Options.WindowStart, $"{file}: {min:O}");
        }

        foreach (var file in new[] { "users.parquet", "ads.parquet", "user_activity.parquet", "ad_performance.parquet" })
        {
            Assert.True((await RangeAsync(file)).Max <= data.Options.Anchor, file);
        }
    }

    [Fact]
    public async Task Labels_agree_with_the_raw_click_and_conversion_events()
    {
        Assert.Equal(
            await ScalarAsync<long>($"SELECT count(*) FROM {Read("impressions.parquet")} WHERE clicked"),
            await ScalarAsync<long>($"SELECT count(*) FROM {Read("clicks.parquet")}"));
        Assert.Equal(0L, await ScalarAsync<long>($"""
            SELECT count(*) FROM {Read("conversions.parquet")} v
            JOIN {Read("impressions.parquet")} i USING (impression_id)
            LEFT JOIN {Read("clicks.parquet")} c USING (impression_id)
            WHERE NOT i.converted OR c.event_timestamp IS NULL OR v.event_timestamp < c.event_timestamp OR c.event_timestamp < i.event_timestamp
            """));
        var ctr = await ScalarAsync<double>($"SELECT avg(clicked::INTEGER) FROM {Read("impressions.parquet")}");
        Assert.InRange(ctr, 0.01, 0.15);
    }

    [Fact]
    public async Task Users_who_clicked_more_in_the_first_half_click_more_in_the_second()
    {
        // The latent propensity is not in the files, but it must show: past CTR predicts future CTR.
        var (top, bottom) = await PairAsync($"""
            WITH halves AS (
                SELECT user_id, event_timestamp < TIMESTAMPTZ '2026-10-17 00:00:00+00' AS first, clicked FROM {Read("impressions.parquet")}),
            per_user AS (
                SELECT user_id, avg(clicked::INTEGER) FILTER (first) AS past, count(*) FILTER (first) AS n_past,
                    sum(clicked::INTEGER) FILTER (NOT first) AS later_clicks, count(*) FILTER (NOT first) AS later_n
                FROM halves GROUP BY user_id),
            ranked AS (SELECT *, ntile(4) OVER (ORDER BY past, user_id) AS quartile FROM per_user WHERE n_past >= 20 AND later_n > 0)
            SELECT sum(later_clicks) FILTER (quartile = 4) / sum(later_n) FILTER (quartile = 4),
                sum(later_clicks) FILTER (quartile = 1) / sum(later_n) FILTER (quartile = 1)
            FROM ranked
            """);

        Assert.True(top > 1.5 * bottom, $"top quartile {top:P2}, bottom quartile {bottom:P2}");
    }

    [Fact]
    public async Task User_activity_agrees_with_a_naive_recomputation_from_the_events()
    {
        // A sample of users, including some whose snapshots were backfilled.
        var users = await ListAsync<long>($"""
            (SELECT DISTINCT user_id FROM {Read("user_activity.parquet")} ORDER BY hash(user_id) LIMIT 40)
            UNION
            (SELECT user_id FROM {Read("user_activity.parquet")} GROUP BY user_id, event_timestamp HAVING count(*) > 1 ORDER BY user_id LIMIT 5)
            """);
        var sample = string.Join(", ", users);
        var impressions = await RowsAsync($"SELECT user_id, epoch_us(event_timestamp) FROM {Read("impressions.parquet")} WHERE user_id IN ({sample})");
        var clicks = await RowsAsync($"SELECT user_id, epoch_us(event_timestamp) FROM {Read("clicks.parquet")} WHERE user_id IN ({sample})");
        var conversions = await RowsAsync($"SELECT user_id, epoch_us(event_timestamp), revenue FROM {Read("conversions.parquet")} WHERE user_id IN ({sample})");
        var snapshots = await RowsAsync($"""
            SELECT user_id, epoch_us(event_timestamp), epoch_us(created), impressions_7d, clicks_7d, ctr_7d, conversions_30d, spend_30d
            FROM {Read("user_activity.parquet")} WHERE user_id IN ({sample})
            """);

        // The latest write of each (user, day) is the truth; earlier writes of a key are the ones backfilled.
        var latest = new Dictionary<(long, long), object[]>();
        foreach (var row in snapshots)
        {
            var key = ((long)row[0], (long)row[1]);
            if (!latest.TryGetValue(key, out var seen) || (long)seen[2] < (long)row[2])
            {
                latest[key] = row;
            }
        }

        const long Day = 86_400_000_000;
        var start = data.Options.WindowStart.ToUnixTimeMilliseconds() * 1000;
        var expectedKeys = 0;
        foreach (var user in users)
        {
            for (var d = 1; d <= data.Options.Days; d++)
            {
                var end = start + d * Day;
                long Count(List<object[]> events, long days) => events.Count(e => (long)e[0] == user && (long)e[1] >= end - days * Day && (long)e[1] < end);
                var impressions7 = Count(impressions, 7);
                if (impressions7 == 0)
                {
                    Assert.False(latest.ContainsKey((user, end)), $"user {user} had no impressions in the 7 days before day {d} but has a snapshot");
                    continue;
                }

                expectedKeys++;
                Assert.True(latest.TryGetValue((user, end), out var row), $"user {user} has no snapshot for day {d}");
                var clicks7 = Count(clicks, 7);
                var spend = conversions.Where(e => (long)e[0] == user && (long)e[1] < end && (long)e[1] >= end - 30 * Day).Sum(e => (double)e[2]);
                Assert.Equal(impressions7, (long)row[3]);
                Assert.Equal(clicks7, (long)row[4]);
                Assert.Equal((double)clicks7 / impressions7, (double)row[5], 12);
                Assert.Equal(Count(conversions, 30), (long)row[6]);
                Assert.Equal(spend, (double)row[7], 0.006);
            }
        }

        Assert.Equal(expectedKeys, latest.Count);
        Assert.True(expectedKeys > 500, $"only {expectedKeys} snapshots checked");
    }

    [Fact]
    public async Task Some_snapshots_were_backfilled_later_with_corrected_values()
    {
        var (keys, corrected) = await PairAsync($"""
            SELECT count(*)::DOUBLE, count(*) FILTER (late_created > first_created + INTERVAL 1 DAY)::DOUBLE
            FROM (SELECT user_id, event_timestamp, min(created) AS first_created, max(created) AS late_created
                FROM {Read("user_activity.parquet")} GROUP BY ALL HAVING count(*) > 1)
            """);

        Assert.InRange(keys, 10, 2_000);
        Assert.Equal(keys, corrected);
    }

    private string Read(string file) => $"read_parquet({DuckDbSql.Literal(data.DataPath(file))})";

    private async Task<(DateTimeOffset Min, DateTimeOffset Max)> RangeAsync(string file)
    {
        var (min, max) = await PairAsync($"SELECT epoch_us(min(event_timestamp))::DOUBLE, epoch_us(max(event_timestamp))::DOUBLE FROM {Read(file)}");
        return (DateTimeOffset.UnixEpoch.AddTicks((long)min * 10), DateTimeOffset.UnixEpoch.AddTicks((long)max * 10));
    }

    private static async Task<string> ContentHashAsync(string path) =>
        await ScalarAsync<string>($"SELECT count(*) || ':' || sum(hash(t))::VARCHAR FROM read_parquet({DuckDbSql.Literal(path)}) t");

    internal static async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = await DuckDbConnections.OpenInMemoryAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<List<T>> ListAsync<T>(string sql) => [.. (await RowsAsync(sql)).Select(r => (T)r[0])];

    private static async Task<List<object[]>> RowsAsync(string sql)
    {
        await using var connection = await DuckDbConnections.OpenInMemoryAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        var rows = new List<object[]>();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }

    private static async Task<(double, double)> PairAsync(string sql)
    {
        await using var connection = await DuckDbConnections.OpenInMemoryAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (Convert.ToDouble(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture),
            Convert.ToDouble(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture));
    }
}
