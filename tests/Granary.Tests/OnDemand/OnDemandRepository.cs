using Granary.Core.Model;
using Granary.Core.Values;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.OnDemand;

/// <summary>
/// The sample repository plus the issue's on-demand view over user_stats (orders_7d int64, spend_7d float64, ttl 2d):
/// request data amount (float64) and hour (int32), two expressions and a C# function.
/// </summary>
internal static class OnDemandRepository
{
    public const string File = "on_demand.yaml";

    public const string Definitions = """
        on_demand_feature_views:
          - name: order_context
            sources: [user_stats]
            request_schema: [{name: amount, dtype: float64}, {name: hour, dtype: int32}]
            features:
              - {name: amount_over_spend, dtype: float64, expr: "amount / coalesce(user_stats.spend_7d, 1.0)"}
              - {name: busy_night, dtype: bool, expr: "hour < 6 and user_stats.orders_7d > 2"}
              - {name: custom_score, dtype: float64, function: FraudScore}
            write_to_online_store: false
        """;

    /// <summary>When the tests' values are written, and (a day later, inside the ttl) when they are read.</summary>
    public static readonly DateTimeOffset Written = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    /// <param name="onlineStore">The <c>online_store</c> of granary.yaml, or null for the default (embedded).</param>
    public static TempRepository Create(string? onlineStore = null)
    {
        var repo = SampleRepository.Create().Write(File, Definitions);
        if (onlineStore is not null)
        {
            // A project of its own: a shared Redis keeps every test's values apart.
            var project = $"shop_{Guid.NewGuid():N}"[..13];
            repo.Write("granary.yaml", $"{SampleRepository.Config.Replace("project: shop", $"project: {project}", StringComparison.Ordinal)}\nonline_store: {onlineStore}\n");
        }

        return repo;
    }

    /// <summary>amount * 2 + orders: a function that reads a request field and a source feature by name.</summary>
    public static FeatureValue FraudScore(Granary.OnDemand.OnDemandInputs inputs)
    {
        var amount = inputs["amount"];
        var orders = inputs["user_stats.orders_7d"];
        return amount.IsNull || orders.IsNull ? FeatureValue.Null(FeatureType.Float64) : FeatureValue.Float64((amount.AsFloat64() * 2) + orders.AsInt64());
    }

    public static FeatureStore Open(TempRepository repo, DateTimeOffset now, bool withFunction = true)
    {
        var builder = new FeatureStoreBuilder(repo.Root).UseTimeProvider(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(now));
        if (withFunction)
        {
            builder.AddOnDemandFunction("FraudScore", FraudScore);
        }

        return builder.Build();
    }

    /// <summary>user_stats rows written straight to the online store at <see cref="Written"/>.</summary>
    public static Dictionary<string, IReadOnlyList<object?>> UserStats(IReadOnlyList<(long User, long? Orders, double? Spend)> rows) => new()
    {
        ["user_id"] = rows.Select(r => (object?)r.User).ToList(),
        ["event_timestamp"] = rows.Select(_ => (object?)"2026-11-01T00:00:00Z").ToList(),
        ["orders_7d"] = rows.Select(r => (object?)r.Orders).ToList(),
        ["spend_7d"] = rows.Select(r => (object?)r.Spend).ToList(),
    };
}
