using FsCheck;
using FsCheck.Fluent;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.OnlineServing;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.OnDemand;

/// <summary>
/// On-demand features read online, over the embedded store here and over Redis in
/// <see cref="OnDemandRedisServingTests"/>: computed from request data and the stored source features exactly as a
/// naive C# reference computes them, for random inputs; request data from request_context or entity columns; the
/// errors a caller can make.
/// </summary>
public abstract class OnDemandServingContract
{
    private static readonly DateTimeOffset Now = OnDemandRepository.Written.AddDays(1);

    /// <summary>The <c>online_store</c> of granary.yaml, or null for the default (embedded).</summary>
    protected abstract string? OnlineStore { get; }

    private async Task<(TempRepository Repo, FeatureStore Store)> OpenAsync(bool withFunction = true)
    {
        var repo = OnDemandRepository.Create(OnlineStore);
        var store = OnDemandRepository.Open(repo, Now, withFunction);
        await store.ApplyAsync();
        return (repo, store);
    }

    private static OnlineFeaturesRequest Request(long[] users, double?[] amounts, int?[] hours, params string[] features) => new()
    {
        Features = features.Length > 0 ? features : ["order_context:amount_over_spend", "order_context:busy_night", "order_context:custom_score", "user_stats:orders_7d"],
        Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = users.Select(u => (object?)u).ToList() },
        RequestContext = new Dictionary<string, IReadOnlyList<object?>>
        {
            ["amount"] = amounts.Select(a => (object?)a).ToList(),
            ["hour"] = hours.Select(h => (object?)(long?)h).ToList(),
        },
    };

    // The naive reference: SQL's nulls, and division by zero gives null as in both engines' translation.
    private static double? AmountOverSpend(double? amount, double? spend)
    {
        var divisor = spend ?? 1.0;
        return amount is null || divisor == 0 ? null : amount / divisor;
    }

    private static bool? BusyNight(int? hour, long? orders)
    {
        bool? early = hour is null ? null : hour < 6;
        bool? busy = orders is null ? null : orders > 2;
        return early == false || busy == false ? false : early is null || busy is null ? null : true;
    }

    [Fact]
    public async Task On_demand_features_equal_a_naive_reference_for_random_inputs()
    {
        var (repo, store) = await OpenAsync();
        using var _ = repo;
        await using var __ = store;
        var row = from orders in Gen.Frequency((1, Gen.Constant<long?>(null)), (4, Gen.Choose(-3, 9).Select(o => (long?)o)))
                  from spend in Gen.Elements<double?>(0.0, 1.5, -2.25, 120.5, 1e-3, null)
                  from amount in Gen.Elements<double?>(0.0, 3.0, -7.5, 1e6, null)
                  from hour in Gen.Frequency((1, Gen.Constant<int?>(null)), (4, Gen.Choose(0, 23).Select(h => (int?)h)))
                  from stored in Gen.Elements(true, false)
                  select (orders, spend, amount, hour, stored);
        var next = 0L;
        var property = Prop.ForAll(Gen.Choose(1, 8).SelectMany(n => Gen.ArrayOf(row, n)).ToArbitrary(), rows =>
        {
            var users = rows.Select(_ => Interlocked.Increment(ref next)).ToArray();
            var written = rows.Select((r, i) => (r, users[i])).Where(x => x.r.stored).Select(x => (x.Item2, x.r.orders, x.r.spend)).ToList();
            if (written.Count > 0)
            {
                store.WriteToOnlineStoreAsync("user_stats", OnDemandRepository.UserStats(written)).GetAwaiter().GetResult();
            }

            var response = store.GetOnlineFeaturesAsync(Request(users, [.. rows.Select(r => r.amount)], [.. rows.Select(r => r.hour)])).GetAwaiter().GetResult();
            for (var i = 0; i < rows.Length; i++)
            {
                var (orders, spend, amount, hour, stored) = rows[i];
                var (o, s) = stored ? (orders, spend) : (null, null);
                var ratio = response["amount_over_spend"].Values[i];
                var night = response["busy_night"].Values[i];
                var score = response["custom_score"].Values[i];
                Assert.Equal(AmountOverSpend(amount, s), ratio.IsNull ? null : ratio.AsFloat64());
                Assert.Equal(BusyNight(hour, o), night.IsNull ? null : night.AsBool());
                Assert.Equal(amount is null || o is null ? null : (amount * 2) + o, score.IsNull ? null : score.AsFloat64());
                Assert.Equal(ratio.IsNull ? FeatureStatus.NullValue : FeatureStatus.Present, response["amount_over_spend"].Statuses[i]);
                Assert.Equal(stored, response["orders_7d"].Statuses[i] != FeatureStatus.NotFound);
            }
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(40), property);
    }

    [Fact]
    public async Task Request_data_may_come_as_entity_columns_and_the_answer_keeps_request_order_and_full_names()
    {
        var (repo, store) = await OpenAsync();
        using var _ = repo;
        await using var __ = store;
        await store.WriteToOnlineStoreAsync("user_stats", OnDemandRepository.UserStats([(1, 3, 120.5)]));

        var response = await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Features = ["user_stats:spend_7d", "order_context:amount_over_spend"],
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [1L], ["amount"] = [241.0] },
            FullFeatureNames = true,
        });

        Assert.Equal(["user_id", "user_stats__spend_7d", "order_context__amount_over_spend"], response.FeatureNames);
        Assert.Equal(1L, response["user_id"].Values[0].AsInt64());
        Assert.Equal(120.5, response["user_stats__spend_7d"].Values[0].AsFloat64());
        Assert.Equal(2.0, response["order_context__amount_over_spend"].Values[0].AsFloat64());
        Assert.Equal(response["user_stats__spend_7d"].EventTimestamps[0], response["order_context__amount_over_spend"].EventTimestamps[0]);
    }

    [Fact]
    public async Task A_feature_service_may_list_on_demand_features()
    {
        using var repo = OnDemandRepository.Create(OnlineStore).Write("service.yaml", """
            feature_services:
              - name: fraud_model
                features: [order_context:busy_night, user_stats:orders_7d]
            """);
        await using var store = OnDemandRepository.Open(repo, Now);
        await store.ApplyAsync();
        await store.WriteToOnlineStoreAsync("user_stats", OnDemandRepository.UserStats([(5, 4, 1.0)]));

        var response = await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            FeatureService = "fraud_model",
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [5L] },
            RequestContext = new Dictionary<string, IReadOnlyList<object?>> { ["hour"] = [3L] },
        });

        Assert.Equal(["user_id", "busy_night", "orders_7d"], response.FeatureNames);
        Assert.True(response["busy_night"].Values[0].AsBool());
        Assert.Equal(4L, response["orders_7d"].Values[0].AsInt64());
    }

    [Fact]
    public async Task Missing_request_data_an_unregistered_function_and_a_mistyped_value_are_the_callers_errors()
    {
        var (repo, store) = await OpenAsync(withFunction: false);
        using var _ = repo;
        await using var __ = store;

        var missing = await Assert.ThrowsAsync<GranaryException>(() => store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Features = ["order_context:amount_over_spend"],
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [1L] },
        }));
        var function = await Assert.ThrowsAsync<GranaryException>(() => store.GetOnlineFeaturesAsync(Request([1], [1.0], [1], "order_context:custom_score")));
        var mistyped = await Assert.ThrowsAsync<GranaryException>(() => store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Features = ["order_context:busy_night"],
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [1L, 2L] },
            RequestContext = new Dictionary<string, IReadOnlyList<object?>> { ["hour"] = [1L, "noon"] },
        }));
        var unknown = await Assert.ThrowsAsync<GranaryException>(() => store.GetOnlineFeaturesAsync(Request([1], [1.0], [1], "order_context:amount_over_spent")));

        Assert.Equal(ErrorCodes.InvalidArgument, missing.Code);
        Assert.Contains("request_context: missing 'amount' (float64), needed by on-demand feature view 'order_context'", missing.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.Unprocessable, function.Code);
        Assert.Contains("function 'FraudScore', which is not registered", function.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.InvalidArgument, mistyped.Code);
        Assert.Contains("request_context.hour[1]: 'noon' is not a valid int32", mistyped.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.NotFound, unknown.Code);
        Assert.Contains("Did you mean 'amount_over_spend'?", unknown.Message, StringComparison.Ordinal);
    }
}

/// <summary>Over the embedded online store.</summary>
public sealed class OnDemandEmbeddedServingTests : OnDemandServingContract
{
    protected override string? OnlineStore => null;
}

/// <summary>Over a real Redis.</summary>
[Collection(RedisCollection.Name)]
public sealed class OnDemandRedisServingTests(RedisServer redis) : OnDemandServingContract
{
    protected override string? OnlineStore => $"{{type: redis, connection: \"{redis.ConnectionString}\"}}";
}
