using System.Globalization;
using Granary.Core.Errors;
using Granary.Drift;
using Granary.Historical;
using Granary.Offline.Retrieval;
using Granary.OnlineServing;
using Granary.Quality.Drift;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Quality.Drift;

/// <summary>
/// Serving drift on each offline engine: a training set is built from the view's rows of 2026-11-01, the online store
/// is materialized (with the rows of 2026-11-03 when the source moved on, <c>ctr</c> up by 0.04), every ad and some
/// unknown ones are served with every row logged, and the served values are checked against the training set.
/// </summary>
public abstract class ServingDriftContract
{
    protected const string Definitions = """
        entities:
          - {name: ad, join_keys: [ad_id], value_type: int64}
        feature_views:
          - name: ad_stats
            entities: [ad]
            ttl: 30d
            source: ads
            schema: [{name: ctr, dtype: float64}, {name: country, dtype: string}]
        """;

    protected const int Ads = 300;

    protected static readonly DateTimeOffset Now = new(2026, 11, 4, 6, 0, 0, TimeSpan.Zero);

    protected static readonly DriftRequest Served = new()
    {
        View = "ad_stats",
        CurrentStart = Now.AddHours(-1),
        CurrentEnd = Now.AddHours(1),
        CurrentSource = DriftSource.Serving,
        BaselineDataset = "train",
    };

    private static readonly DateTimeOffset First = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>One source row of an ad.</summary>
    protected sealed record AdRow(long AdId, DateTimeOffset EventTime, double Ctr, string Country);

    /// <summary>A repository sampling every served row whose offline store holds <paramref name="rows"/> as the source <c>ads</c>.</summary>
    protected abstract Task<TempRepository> RepositoryAsync(IReadOnlyList<AdRow> rows);

    // ctr spread evenly (golden-ratio steps) over [0.05, 0.07), the country cycling; the later rows add 0.04 to ctr.
    private static List<AdRow> Rows(bool sourceMovesOn)
    {
        var rows = new List<AdRow>();
        for (var i = 0; i < Ads; i++)
        {
            var ctr = 0.05 + (0.02 * (i * 0.6180339887 % 1));
            var country = new[] { "US", "FR", "DE" }[i % 3];
            rows.Add(new AdRow(i, First, ctr, country));
            if (sourceMovesOn)
            {
                rows.Add(new AdRow(i, First.AddDays(2), ctr + 0.04, country));
            }
        }

        return rows;
    }

    /// <summary>Saves the training set, materializes, serves every ad and 20 unknown ones; returns the repository.</summary>
    protected async Task<TempRepository> ServeAsync(bool sourceMovesOn)
    {
        var repo = await RepositoryAsync(Rows(sourceMovesOn));
        var entities = Path.Combine(repo.Root, "entities.csv");
        await File.WriteAllTextAsync(entities, "ad_id,event_timestamp\n" + string.Concat(Enumerable.Range(0, Ads).Select(i => $"{i},2026-11-02T00:00:00Z\n")));
        await using var store = new FeatureStoreBuilder(repo.Root).UseTimeProvider(new FakeTimeProvider(Now)).Build();
        await store.ApplyAsync();
        var training = await store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest
        {
            Entities = EntityTable.FromFile(entities),
            Features = ["ad_stats:ctr", "ad_stats:country"],
        });
        var output = Path.Combine(repo.Root, "train.parquet");
        await store.SaveDatasetAsync("train", training, output, await training.WriteAsync(output));
        await store.MaterializeAsync(DateTimeOffset.UnixEpoch, Now, ["ad_stats"]);
        await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["ad_id"] = [.. Enumerable.Range(0, Ads + 20).Select(i => (object?)(i < Ads ? (long)i : 10_000L + i))] },
            Features = ["ad_stats:ctr", "ad_stats:country"],
        });
        return repo;
    }

    protected static async Task<DriftReport> DriftAsync(TempRepository repo, DriftRequest request)
    {
        await using var store = FeatureStore.Open(repo.Root);
        return await store.DriftAsync(request);
    }

    [Fact]
    public async Task A_shift_between_the_training_set_and_the_served_values_is_found_high()
    {
        using var repo = await ServeAsync(sourceMovesOn: true);

        var report = await DriftAsync(repo, Served);

        var ctr = report.Features.Single(f => f.Name == "ctr");
        Assert.Equal(DriftSeverity.High, ctr.Severity);
        Assert.Equal(1.0, ctr.KsStatistic!.Value, 9);
        // The unknown ads were served nothing: only the 300 found values are the current sample.
        Assert.Equal((Ads, (long)Ads), (ctr.BaselineCount, ctr.CurrentCount));
        var country = report.Features.Single(f => f.Name == "country");
        Assert.Equal(DriftSeverity.None, country.Severity);
        Assert.Equal(Ads, country.CurrentCount);
    }

    [Fact]
    public async Task Served_values_with_the_training_distribution_show_no_drift()
    {
        using var repo = await ServeAsync(sourceMovesOn: false);

        var report = await DriftAsync(repo, Served);

        Assert.All(report.Features, f => Assert.Equal(DriftSeverity.None, f.Severity));
        var ctr = report.Features.Single(f => f.Name == "ctr");
        Assert.Equal((0.0, (long)Ads), (ctr.KsStatistic!.Value, ctr.CurrentCount));
    }

    [Fact]
    public async Task The_offline_source_of_the_same_period_is_not_the_served_values()
    {
        using var repo = await ServeAsync(sourceMovesOn: true);

        // No source row has its event time in the hours around Now: offline, the current side is empty.
        var offline = await DriftAsync(repo, Served with { CurrentSource = DriftSource.Offline });

        Assert.Equal(0, offline.Features.Single(f => f.Name == "ctr").CurrentCount);
    }

    [Fact]
    public async Task A_period_with_nothing_served_is_not_found_with_the_sample_rate_hint()
    {
        using var repo = await ServeAsync(sourceMovesOn: false);

        var error = await Assert.ThrowsAsync<GranaryException>(() => DriftAsync(repo, Served with { CurrentStart = Now.AddDays(-2), CurrentEnd = Now.AddDays(-1) }));

        Assert.Equal("not_found", error.Code);
        Assert.Contains("monitoring.serving_sample_rate", error.Message, StringComparison.Ordinal);
    }

    protected static string Instant(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
