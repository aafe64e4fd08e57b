using Granary.Core.Model;
using Granary.Core.Values;
using Granary.Streaming.Aggregation;

namespace Granary.Tests.Streaming;

/// <summary>What a definition may say: windows against hops, functions against column types, and feature names.</summary>
public sealed class AggregationDefinitionTests
{
    [Theory]
    [InlineData(60, 0, "The hop must be positive")]
    [InlineData(60, 120, "The hop 2m is larger than its window 1m")]
    [InlineData(3600, 420, "The window 1h is not a multiple of its hop 7m")]
    public void Windows_refuse_hops_that_cannot_move_their_edge(int windowSeconds, int hopSeconds, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => Window.Sliding(TimeSpan.FromSeconds(windowSeconds), TimeSpan.FromSeconds(hopSeconds)));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Functions_refuse_columns_they_cannot_aggregate_and_missing_parameters()
    {
        Assert.Contains("needs a numeric column; 'merchant' is string",
            Assert.Throws<ArgumentException>(() => Aggregation.Create(AggregationFunction.Sum, "merchant", FeatureType.String)).Message, StringComparison.Ordinal);
        Assert.Contains("last_k needs k",
            Assert.Throws<ArgumentException>(() => Aggregation.Create(AggregationFunction.LastK, "merchant", FeatureType.String)).Message, StringComparison.Ordinal);
        Assert.Contains("between 0 and 100; 101",
            Assert.Throws<ArgumentException>(() => Aggregation.Create(AggregationFunction.ApproxPercentile, "amount", FeatureType.Float64, percentiles: [50, 101])).Message, StringComparison.Ordinal);
        Assert.Contains("mean needs a column",
            Assert.Throws<ArgumentException>(() => Aggregation.Create(AggregationFunction.Mean, null, null)).Message, StringComparison.Ordinal);
        Assert.Contains("list column",
            Assert.Throws<ArgumentException>(() => Aggregation.Create(AggregationFunction.Max, "tags", FeatureType.String.AsList())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Features_are_named_function_column_window_with_their_types()
    {
        var day = Window.Sliding(TimeSpan.FromDays(1), TimeSpan.FromMinutes(1));
        var week = Window.Sliding(TimeSpan.FromDays(7), TimeSpan.FromHours(1));
        var ninety = Window.Sliding(TimeSpan.FromMinutes(90), TimeSpan.FromMinutes(1));
        var plan = new AggregationPlan(
        [
            new(Aggregation.Create(AggregationFunction.Sum, "amount", FeatureType.Float64), [day, week]),
            new(Aggregation.Create(AggregationFunction.Sum, "units", FeatureType.Int32), [ninety]),
            new(Aggregation.Create(AggregationFunction.Count, null, null), [Window.Lifetime]),
            new(Aggregation.Create(AggregationFunction.ApproxPercentile, "amount", FeatureType.Float64, percentiles: [50, 99.9]), [day]),
            new(Aggregation.Create(AggregationFunction.LastK, "merchant_id", FeatureType.Int64, k: 5), [day]),
            new(Aggregation.Create(AggregationFunction.Mean, "amount", FeatureType.Float32), [day], Name: "avg_spend"),
        ]);

        Assert.Equal(
            [
                ("sum_amount_1d", FeatureType.Float64), ("sum_amount_7d", FeatureType.Float64), ("sum_units_1h30m", FeatureType.Int64),
                ("count_lifetime", FeatureType.Int64), ("approx_percentile_p50_amount_1d", FeatureType.Float64),
                ("approx_percentile_p99_9_amount_1d", FeatureType.Float64), ("last_k_merchant_id_1d", FeatureType.Int64.AsList()),
                ("avg_spend", FeatureType.Float64),
            ],
            plan.Features.Select(f => (f.Name, f.Type)));

        // sum over 1d (1m hop) and 7d (1h hop): two series; one tile update per hop, not per window.
        Assert.Equal(2, plan.Series.Count(s => plan.Aggregations[s.AggregationIndex].Function == AggregationFunction.Sum && plan.Aggregations[s.AggregationIndex].Column == "amount"));
    }

    [Fact]
    public void A_name_is_for_one_window_and_one_output_and_feature_names_are_unique()
    {
        var hour = Window.Sliding(TimeSpan.FromHours(1), TimeSpan.FromMinutes(1));
        var day = Window.Sliding(TimeSpan.FromDays(1), TimeSpan.FromMinutes(1));
        Assert.Contains("one window and one output",
            Assert.Throws<ArgumentException>(() => new AggregationPlan([new(Aggregation.Create(AggregationFunction.Count, null, null), [hour, day], "n")])).Message, StringComparison.Ordinal);
        Assert.Contains("Two aggregations produce the feature 'count_1h'",
            Assert.Throws<ArgumentException>(() => new AggregationPlan(
            [
                new(Aggregation.Create(AggregationFunction.Count, null, null), [hour]),
                new(Aggregation.Create(AggregationFunction.Count, null, null), [Window.Sliding(TimeSpan.FromHours(1), TimeSpan.FromMinutes(5))]),
            ])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void State_written_under_one_plan_is_read_under_a_plan_that_adds_and_removes_aggregations()
    {
        var hour = Window.Sliding(TimeSpan.FromHours(1), TimeSpan.FromMinutes(1));
        var sum = Aggregation.Create(AggregationFunction.Sum, "amount", FeatureType.Float64);
        var max = Aggregation.Create(AggregationFunction.Max, "amount", FeatureType.Float64);
        var count = Aggregation.Create(AggregationFunction.Count, null, null);
        var before = new AggregationPlan([new(sum, [hour]), new(max, [hour, Window.Lifetime])]);
        var after = new AggregationPlan([new(count, [hour]), new(sum, [hour])]);

        var key = new KeyAggregates(before);
        key.Apply([FeatureValue.Float64(2.5)], 1_000_000);
        key.Apply([FeatureValue.Float64(4)], 2_000_000);
        var stored = new System.Buffers.ArrayBufferWriter<byte>();
        key.Write(new StateWriter(stored));

        var reread = KeyAggregates.Read(stored.WrittenSpan, after);
        var values = new FeatureValue[2];
        reread.ValuesAt(2_000_000, values);
        Assert.Equal(0, values[0].AsInt64()); // count_1h was added: it serves from the next events
        Assert.Equal(6.5, values[1].AsFloat64());
    }
}
