using System.Collections;
using Granary.Core.Time;
using Granary.Core.Values;
using Granary.Historical;
using Granary.Offline.Retrieval;
using Granary.OnlineServing;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Streaming.Backfill;

/// <summary>
/// A repository for backfill tests, written as a user writes one: stream view <c>user_spend</c> over push source
/// <c>txn_push</c>, whose events are logged to <c>data/events.parquet</c> (every function, windows of 10m, 1h with a
/// 10m hop, 30m tumbling and lifetime, as <see cref="StreamOfflineScenario.View"/>; 10 minutes of allowed lateness;
/// ids in <c>txn_id</c>), an ordinary view beside it, and the store opened on a clock the test moves.
/// </summary>
internal sealed class BackfillRepository : IAsyncDisposable
{
    public const string View = "user_spend";
    public const string Source = "txn_push";
    public const string EventsFile = "data/events.parquet";

    private const string Definitions = $$"""
        entities:
          - {name: user, join_keys: [user_id], value_type: int64}
        sources:
          - {name: txn_log, type: file, path: data/events.parquet, timestamp_field: event_timestamp}
          - {name: txn_push, type: push, batch_source: txn_log}
        feature_views:
          - name: user_units
            entities: [user]
            source: txn_log
            schema: [{name: units, dtype: int64}]
        {{StreamYaml.EveryFunctionView}}
        """;

    /// <summary>Every feature of the view, in definition order.</summary>
    public static readonly string[] Features = [.. StreamOfflineScenario.Plan(StreamOfflineScenario.View()).Features.Select(f => f.Name)];

    private BackfillRepository(TempRepository repo, FeatureStore store, FakeTimeProvider time)
    {
        Repo = repo;
        Store = store;
        Time = time;
    }

    public TempRepository Repo { get; }

    public FeatureStore Store { get; }

    public FakeTimeProvider Time { get; }

    /// <summary>The repository with <paramref name="events"/> logged, applied, on <paramref name="onlineStoreYaml"/> (granary.yaml's <c>online_store</c>).</summary>
    /// <param name="offline">
    /// For another offline engine: granary.yaml's <c>offline_store</c> and the <c>txn_log</c> source's definition, whose
    /// table the caller has filled; null for DuckDB over <see cref="EventsFile"/>.
    /// </param>
    public static async Task<BackfillRepository> CreateAsync(
        string onlineStoreYaml, IReadOnlyList<LoggedEvent> events, long nowMicros, (string OfflineStoreYaml, string LogSourceYaml)? offline = null)
    {
        var definitions = offline is { } o
            ? Definitions.Replace("{name: txn_log, type: file, path: data/events.parquet, timestamp_field: event_timestamp}", o.LogSourceYaml, StringComparison.Ordinal)
            : Definitions;
        var offlineStore = offline is { } e ? $"offline_store: {e.OfflineStoreYaml}\n" : "";
        var repo = await WriteAsync(onlineStoreYaml, events, definitions, offlineStore);
        var time = new FakeTimeProvider(UtcMicros.ToDateTimeOffset(nowMicros));
        var store = new FeatureStoreBuilder(repo.Root).UseTimeProvider(time).Build();
        await store.ApplyAsync();
        return new BackfillRepository(repo, store, time);
    }

    /// <summary>The repository's files, not applied: for the command line's tests.</summary>
    public static Task<TempRepository> WriteAsync(IReadOnlyList<LoggedEvent> events) => WriteAsync("{type: embedded}", events, Definitions, "");

    private static async Task<TempRepository> WriteAsync(string onlineStoreYaml, IReadOnlyList<LoggedEvent> events, string definitions, string offlineStore)
    {
        var repo = new TempRepository()
            .Write("granary.yaml", $"project: b{Guid.NewGuid():N}\nregistry: data/registry.db\nonline_store: {onlineStoreYaml}\n{offlineStore}")
            .Write("features.yaml", definitions);
        Directory.CreateDirectory(Path.Combine(repo.Root, "data"));
        await StreamOfflineScenario.WriteEventsAsync(Path.Combine(repo.Root, EventsFile), events);
        return repo;
    }

    /// <summary>What serving answers for <paramref name="keys"/> now: every feature of the view.</summary>
    public Task<OnlineFeaturesResponse> ReadOnlineAsync(params int[] keys) => Store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
    {
        Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [.. keys.Select(k => (object?)(long)k)] },
        Features = [.. Features.Select(f => $"{View}:{f}")],
    });

    /// <summary>
    /// Asserts that serving at the clock's instant answers, for every key and feature, what get-historical computes
    /// from the log at that instant; a key serving NOT_FOUND must have no event there (count 0).
    /// </summary>
    public async Task AssertOnlineEqualsHistoricalAsync(params int[] keys)
    {
        var now = UtcMicros.From(Time.GetUtcNow());
        var folder = Directory.CreateDirectory(Path.Combine(Repo.Root, $"entities-{now}")).FullName;
        var entities = await StreamOfflineScenario.WriteEntitiesAsync(folder, [.. keys.Select(k => (k, now))]);
        var online = await ReadOnlineAsync(keys);
        var training = await Store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest
        {
            Entities = EntityTable.FromFile(entities),
            Features = [.. Features.Select(f => $"{View}:{f}")],
        });
        await using var rows = await training.ReadAsync();
        var reader = rows.Reader;
        var row = 0;
        while (await reader.ReadAsync())
        {
            var key = keys[row];
            var lifetime = online["count_lifetime"];
            if (lifetime.Statuses[row] == FeatureStatus.NotFound)
            {
                Assert.Equal(0L, Convert.ToInt64(reader.GetValue(reader.GetOrdinal("count_lifetime")), System.Globalization.CultureInfo.InvariantCulture));
                row++;
                continue;
            }

            foreach (var feature in Features)
            {
                var ordinal = reader.GetOrdinal(feature);
                var offline = reader.IsDBNull(ordinal) ? null : reader.GetValue(ordinal);
                ValueAssert.Equal(Normalize(offline), online[feature].Values[row], $"user {key}, {feature} at {UtcMicros.ToDateTimeOffset(now):O}");
            }

            row++;
        }

        Assert.Equal(keys.Length, row);
    }

    /// <summary>Pushes <paramref name="events"/> to <c>txn_push</c>, online and logged, as a producer would after the backfill.</summary>
    public Task<Push.PushResult> PushAsync(params LoggedEvent[] events) => Store.PushAsync(new Push.PushRequest
    {
        PushSourceName = Source,
        To = Push.PushTarget.OnlineAndOffline,
        Columns = new Dictionary<string, IReadOnlyList<object?>>
        {
            ["user_id"] = [.. events.Select(e => (object?)(long)e.Key)],
            ["event_timestamp"] = [.. events.Select(e => (object?)UtcMicros.ToDateTimeOffset(e.Event.Micros))],
            ["amount"] = [.. events.Select(e => (object?)e.Event.Amount)],
            ["units"] = [.. events.Select(e => (object?)e.Event.Units)],
            ["merchant"] = [.. events.Select(e => (object?)e.Event.Merchant)],
            ["txn_id"] = [.. events.Select(e => (object?)e.Id)],
        },
    });

    /// <summary>One feature of one key as served now.</summary>
    public async Task<(FeatureValue Value, FeatureStatus Status)> ReadAsync(int key, string feature)
    {
        var response = await ReadOnlineAsync(key);
        return (response[feature].Values[0], response[feature].Statuses[0]);
    }

    /// <summary>The source's lateness watermark in the online store.</summary>
    public async Task<long?> WatermarkAsync() =>
        await StreamFeatureReader.States(Store.Online, View).GetStreamWatermarkAsync(Source);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Repo.Dispose();
    }

    /// <summary>DuckDB's lists come back as lists; the assertion compares arrays of values.</summary>
    private static object? Normalize(object? value) => value is IList list and not Array ? list.Cast<object?>().ToArray() : value;
}
