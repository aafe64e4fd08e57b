using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.OnlineServing;
using Granary.Tests.Infrastructure;
using Granary.Core.Time;
using Granary.Core.Values;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.OnlineServing;

/// <summary>
/// Online reads of random requests, one after another on one store, so resolved queries are cached and reused across
/// requests of the same shape with other entities, against a naive reference: the output names worked out from the
/// rules (join keys in request order, then each view's features in first-mention order), and every value read one
/// at a time by its address, which resolves nothing through the query cache.
/// </summary>
public sealed class OnlineQueryPropertyTests(OnlineQueryPropertyTests.Served served) : IClassFixture<OnlineQueryPropertyTests.Served>
{
    private static readonly string[] Pool = ["user_stats:orders_7d", "user_stats:spend_7d", "user_spend:spend_7d", "item_info:price", "item_info:category"];

    internal sealed record Request(string[] Features, bool FullNames, string[] JoinKeys, object[][] Values)
    {
        public override string ToString() =>
            $"features=[{string.Join(", ", Features)}] full={FullNames} entities={{{string.Join(", ", JoinKeys.Select((k, i) => $"{k}: [{string.Join(", ", Values[i])}]"))}}}";
    }

    [Property(MaxTest = 60)]
    public Property Cached_queries_answer_as_the_naive_reference() =>
        Prop.ForAll(Gen.Choose(1, 8).SelectMany(n => Gen.ArrayOf(RequestGen(), n)).ToArbitrary(), requests =>
        {
            foreach (var request in requests)
            {
                CheckAsync(request).GetAwaiter().GetResult();
            }
        });

    private async Task CheckAsync(Request r)
    {
        var request = new OnlineFeaturesRequest
        {
            Features = r.Features,
            FullFeatureNames = r.FullNames,
            Entities = r.JoinKeys.Select((k, i) => (k, (IReadOnlyList<object?>)r.Values[i])).ToDictionary(p => p.k, p => p.Item2),
        };
        var expectedNames = ExpectedNames(r);
        if (expectedNames is null)
        {
            var error = await Assert.ThrowsAsync<GranaryException>(() => served.Store.GetOnlineFeaturesAsync(request));
            Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
            return;
        }

        var response = await served.Store.GetOnlineFeaturesAsync(request);
        Assert.Equal(expectedNames, response.FeatureNames);
        var rows = r.Values[0].Length;
        for (var j = 0; j < r.JoinKeys.Length; j++)
        {
            for (var row = 0; row < rows; row++)
            {
                Assert.Equal(KeyValue(r, j, row), response.Results[j].Values[row]);
            }
        }

        var column = r.JoinKeys.Length;
        foreach (var reference in OrderedReferences(r))
        {
            var (view, feature) = Split(reference);
            for (var row = 0; row < rows; row++)
            {
                var key = view == "item_info" ? $"\"{Value(r, "item_id", row)}\"" : Convert.ToString(Value(r, "user_id", row), System.Globalization.CultureInfo.InvariantCulture);
                var want = await served.Store.GetOnlineValueAsync($"{view}:{feature}:{key}");
                var got = response.Results[column];
                Assert.Equal(want.Value, got.Values[row]);
                Assert.Equal(want.Status, got.Statuses[row]);
                Assert.Equal(want.EventTimestamp is { } at ? UtcMicros.From(at) : 0, got.EventTimestamps[row]);
            }

            column++;
        }
    }

    // Null when the request is a mistake: a view whose join key is missing, or an output name given twice.
    private static List<string>? ExpectedNames(Request r)
    {
        var names = new List<string>(r.JoinKeys);
        var outputs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var reference in r.Features)
        {
            var (view, feature) = Split(reference);
            if (Array.IndexOf(r.JoinKeys, view == "item_info" ? "item_id" : "user_id") < 0 || !outputs.Add(r.FullNames ? $"{view}__{feature}" : feature))
            {
                return null;
            }
        }

        foreach (var reference in OrderedReferences(r))
        {
            var (view, feature) = Split(reference);
            names.Add(r.FullNames ? $"{view}__{feature}" : feature);
        }

        return r.JoinKeys.Length == 0 ? null : names;
    }

    // Views in first-mention order, each view's features in request order.
    private static IEnumerable<string> OrderedReferences(Request r) =>
        r.Features.Select(f => Split(f).View).Distinct().SelectMany(view => r.Features.Where(f => Split(f).View == view));

    // A join key some requested view uses comes back converted to its entity's type; another is echoed as given,
    // typed by its own value as Feast types it.
    private static FeatureValue KeyValue(Request r, int joinKey, int row)
    {
        var value = r.Values[joinKey][row];
        var name = r.JoinKeys[joinKey];
        var used = r.Features.Any(f => (Split(f).View == "item_info") == (name == "item_id"));
        return !used ? (value is long whole ? FeatureValue.Int64(whole) : FeatureValue.String((string)value))
            : name == "user_id" ? FeatureValue.Int64(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture))
            : FeatureValue.String((string)value);
    }

    private static object Value(Request r, string joinKey, int row) => r.Values[Array.IndexOf(r.JoinKeys, joinKey)][row];

    private static (string View, string Feature) Split(string reference) => (reference[..reference.IndexOf(':')], reference[(reference.IndexOf(':') + 1)..]);

    private static Gen<Request> RequestGen() =>
        from features in Gen.Choose(1, 5).SelectMany(n => Gen.ArrayOf(Gen.Elements(Pool), n))
        from fullNames in Gen.Elements(true, false)
        from joinKeys in Gen.Elements<string[]>(["user_id"], ["user_id"], ["user_id", "item_id"], ["item_id", "user_id"], ["item_id"], [])
        from rows in Gen.Choose(1, 4)
        from users in Gen.ArrayOf(Gen.Elements<object>(1L, 2L, 3L, "2"), rows)
        from items in Gen.ArrayOf(Gen.Elements<object>("A1", "B2"), rows)
        select new Request(features, fullNames, joinKeys, [.. joinKeys.Select(k => k == "user_id" ? users : items)]);

    /// <summary>The sample repository plus a second view of users (no ttl), materialized once, at a fixed time.</summary>
    public sealed class Served : IAsyncLifetime
    {
        private const string UserStats = """
            user_id,event_timestamp,created,orders_7d,spend_7d
            1,2026-11-03T00:00:00Z,2026-11-03T00:05:00Z,7,
            2,2026-10-20T00:00:00Z,2026-10-20T00:05:00Z,0,10.5
            """;

        private const string UserSpend = """
            feature_views:
              - name: user_spend
                entities: [user]
                ttl: 0
                source: user_stats_source
                schema:
                  - {name: spend_7d, dtype: float64}
            """;

        private readonly TempRepository _repo = SampleRepository.Create().Write("data/user_stats.csv", UserStats).Write("features/spend.yaml", UserSpend);

        public FeatureStore Store { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var now = new DateTimeOffset(2026, 11, 4, 0, 0, 0, TimeSpan.Zero);
            Store = new FeatureStoreBuilder(_repo.Root).UseTimeProvider(new FakeTimeProvider(now)).Build();
            await Store.ApplyAsync();
            await Store.MaterializeAsync(DateTimeOffset.UnixEpoch, now, ["user_stats", "user_spend"]);
        }

        public async Task DisposeAsync()
        {
            await Store.DisposeAsync();
            _repo.Dispose();
        }
    }
}
