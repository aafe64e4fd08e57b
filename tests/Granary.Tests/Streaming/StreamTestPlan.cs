using Granary.Core.Model;
using Granary.Core.Values;
using Granary.Streaming.Aggregation;

namespace Granary.Tests.Streaming;

/// <summary>A plan with every function over several windows and hops, and how its events become column values.</summary>
internal static class StreamTestPlan
{
    public static readonly Window TenMinutes = Window.Sliding(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1));
    public static readonly Window Hour = Window.Sliding(TimeSpan.FromHours(1), TimeSpan.FromMinutes(10));
    public static readonly Window HalfHourTumbling = Window.Sliding(TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(30));

    public static AggregationPlan Create() => new(
    [
        Spec(AggregationFunction.Count, null, [TenMinutes, Hour, HalfHourTumbling, Window.Lifetime]),
        Spec(AggregationFunction.Count, "merchant", [TenMinutes]),
        Spec(AggregationFunction.Sum, "amount", [TenMinutes, Hour, Window.Lifetime]),
        Spec(AggregationFunction.Sum, "units", [Hour]),
        Spec(AggregationFunction.Mean, "amount", [Hour]),
        Spec(AggregationFunction.Variance, "amount", [Hour]),
        Spec(AggregationFunction.Stddev, "units", [TenMinutes]),
        Spec(AggregationFunction.Min, "merchant", [Hour, HalfHourTumbling]),
        Spec(AggregationFunction.Max, "amount", [Hour, HalfHourTumbling]),
        Spec(AggregationFunction.Min, "units", [TenMinutes]),
        Spec(AggregationFunction.First, "merchant", [Hour]),
        Spec(AggregationFunction.Last, "amount", [HalfHourTumbling]),
        Spec(AggregationFunction.LastK, "merchant", [Hour], k: 3),
        Spec(AggregationFunction.ApproxCountDistinct, "merchant", [Hour, Window.Lifetime]),
        Spec(AggregationFunction.ApproxPercentile, "amount", [Hour], percentiles: [50, 90]),
    ]);

    public static FeatureType TypeOf(string column) => column switch
    {
        "amount" => FeatureType.Float64,
        "units" => FeatureType.Int64,
        _ => FeatureType.String,
    };

    /// <summary>The event's values in the plan's column order.</summary>
    public static FeatureValue[] Columns(AggregationPlan plan, StreamEvent e)
    {
        var values = new FeatureValue[plan.Columns.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = plan.Columns[i] switch
            {
                "amount" => e.Amount is { } a ? FeatureValue.Float64(a) : FeatureValue.Null(FeatureType.Float64),
                "units" => e.Units is { } u ? FeatureValue.Int64(u) : FeatureValue.Null(FeatureType.Int64),
                _ => e.Merchant is { } m ? FeatureValue.String(m) : FeatureValue.Null(FeatureType.String),
            };
        }

        return values;
    }

    public static object? ValueOf(StreamEvent e, string? column) => column switch
    {
        null => true,
        "amount" => e.Amount,
        "units" => e.Units,
        _ => e.Merchant,
    };

    private static AggregationSpec Spec(AggregationFunction function, string? column, Window[] windows, int k = 0, double[]? percentiles = null) =>
        new(Aggregation.Create(function, column, column is null ? null : TypeOf(column), k, percentiles), windows);
}
