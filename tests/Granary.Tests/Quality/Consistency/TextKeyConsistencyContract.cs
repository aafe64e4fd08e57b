using System.Globalization;
using System.Text;
using System.Text.Json;
using Granary.Consistency;
using Granary.OnlineServing;
using Granary.Server.Http.Monitoring;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Quality.Consistency;

/// <summary>
/// Online/offline consistency end to end on each offline engine, for a view keyed by text whose keys look like
/// numbers ("007" and "7" are different accounts): materialized, served one account a second with every row logged,
/// then re-joined offline by a new store. The keys must stay text all the way through the re-join.
/// </summary>
public abstract class TextKeyConsistencyContract
{
    protected const string Definitions = """
        entities:
          - {name: account, join_keys: [account_id], value_type: string}
        feature_views:
          - name: account_stats
            entities: [account]
            ttl: 2d
            source: accounts
            schema: [{name: balance, dtype: float64}, {name: tier, dtype: string}]
        """;

    /// <summary>Keys a type-guessing reader turns into numbers, booleans, NaN, or collapses into one another.</summary>
    private static readonly string[] Keys = ["007", "7", "1e3", "", "0x1F", " 7", "-0", "true", "NaN", "1.50"];

    private static readonly DateTimeOffset Now = new(2026, 11, 4, 6, 0, 0, TimeSpan.Zero);

    private static readonly ConsistencyRequest Period = new() { View = "account_stats", Start = Now.AddHours(-1), End = Now.AddHours(1) };

    /// <summary>One source row: an account, its balance and tier, at 2026-11-03T12:00:00Z.</summary>
    protected sealed record AccountRow(string Key, double Balance, string Tier)
    {
        public static readonly DateTimeOffset EventTime = new(2026, 11, 3, 12, 0, 0, TimeSpan.Zero);
    }

    /// <summary>A repository whose offline store holds <paramref name="rows"/> as the source <c>accounts</c> and samples every served row.</summary>
    protected abstract Task<TempRepository> RepositoryAsync(IReadOnlyList<AccountRow> rows);

    /// <summary>Replaces the source's rows with <paramref name="rows"/>.</summary>
    protected abstract Task ReplaceSourceAsync(TempRepository repo, IReadOnlyList<AccountRow> rows);

    private static List<AccountRow> Rows() =>
        [.. Keys.Select((key, i) => new AccountRow(key, i + 0.5, i % 2 == 0 ? "gold" : "silver"))];

    // Materializes, lets the source change the given accounts' balances, then serves each account and an unknown one.
    private async Task<TempRepository> ServeAsync(params string[] changed)
    {
        var rows = Rows();
        var repo = await RepositoryAsync(rows);
        var time = new FakeTimeProvider(Now);
        await using var store = new FeatureStoreBuilder(repo.Root).UseTimeProvider(time).Build();
        await store.ApplyAsync();
        await store.MaterializeAsync(DateTimeOffset.UnixEpoch, Now, ["account_stats"]);
        if (changed.Length > 0)
        {
            await ReplaceSourceAsync(repo, rows.ConvertAll(r => changed.Contains(r.Key) ? r with { Balance = r.Balance + 100 } : r));
        }

        foreach (var key in Keys.Append("0007"))
        {
            await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
            {
                Entities = new Dictionary<string, IReadOnlyList<object?>> { ["account_id"] = new object?[] { key } },
                Features = ["account_stats:balance", "account_stats:tier"],
            });
            time.Advance(TimeSpan.FromSeconds(1));
        }

        return repo;
    }

    private static async Task<ConsistencyReport> ConsistencyAsync(TempRepository repo, ConsistencyRequest request)
    {
        await using var store = FeatureStore.Open(repo.Root);
        return await store.ConsistencyAsync(request);
    }

    private static string Json(ConsistencyReport report)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            ConsistencyJson.Write(writer, report);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    [Fact]
    public async Task Text_keys_that_look_like_numbers_round_trip_with_consistency_one()
    {
        using var repo = await ServeAsync();

        var report = await ConsistencyAsync(repo, Period);

        // Every account and the unknown "0007" were logged; the unknown one has a value on neither side.
        Assert.Equal(Keys.Length + 1, report.Rows);
        Assert.Equal(1.0, report.Consistency);
        foreach (var feature in report.Features)
        {
            Assert.Equal((Keys.Length, Keys.Length), (feature.Compared, feature.Matches));
        }
    }

    [Fact]
    public async Task A_changed_offline_value_is_a_mismatch_of_that_text_key_alone()
    {
        using var repo = await ServeAsync("007", "");

        var report = await ConsistencyAsync(repo, Period);

        var balance = report.Features.Single(f => f.Name == "balance");
        Assert.Equal((Keys.Length, Keys.Length - 2L, 2L), (balance.Compared, balance.Matches, balance.Mismatches));
        var examples = balance.Examples.Select(e => ((string?)e.Entity["account_id"], Convert.ToDouble(e.Served, CultureInfo.InvariantCulture), Convert.ToDouble(e.Offline, CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(new List<(string?, double, double)> { ("007", 0.5, 100.5), ("", 3.5, 103.5) }, examples);
        Assert.Equal(1.0, report.Features.Single(f => f.Name == "tier").Consistency);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task A_period_of_several_chunks_gives_the_same_report_as_one_chunk(int chunkRows)
    {
        using var repo = await ServeAsync("007", "7", "NaN");

        var whole = await ConsistencyAsync(repo, Period);
        var chunked = await ConsistencyAsync(repo, Period with { ChunkRows = chunkRows });

        Assert.True(whole.Rows > chunkRows);
        Assert.Equal(3, whole.Features.Single(f => f.Name == "balance").Examples.Count);
        Assert.Equal(Json(whole), Json(chunked));
    }
}
