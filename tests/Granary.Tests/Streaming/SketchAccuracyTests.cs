using Granary.Core.Values;
using Granary.Streaming.Aggregation;

namespace Granary.Tests.Streaming;

/// <summary>
/// The sketches' documented errors, on data large enough that they no longer answer exactly: distinct counts within
/// four standard errors of the truth, percentiles within 1% of rank, and merging parts as good as sketching the whole.
/// </summary>
public sealed class SketchAccuracyTests
{
    [Theory]
    [InlineData(1_000)]
    [InlineData(20_000)]
    [InlineData(300_000)]
    public void Distinct_counts_lie_within_four_standard_errors(int distinct)
    {
        var sketch = new HyperLogLog();
        for (var i = 0; i < distinct; i++)
        {
            sketch.Update(FeatureValue.String($"merchant-{i}"), 0);
            sketch.Update(FeatureValue.String($"merchant-{i / 2}"), 0); // repeats change nothing
        }

        var error = Math.Abs(sketch.Estimate() - distinct) / (double)distinct;
        Assert.True(error <= 4 * HyperLogLog.StandardError, $"{sketch.Estimate()} for {distinct} distinct values: {error:P2} off");
    }

    [Fact]
    public void Distinct_counts_are_exact_up_to_the_sparse_limit_and_int32_and_int64_of_a_number_are_one_value()
    {
        var sketch = new HyperLogLog();
        for (var i = 0; i < HyperLogLog.SparseLimit; i++)
        {
            sketch.Update(FeatureValue.Int64(i * 7919L), 0);
            sketch.Update(FeatureValue.Int32(i * 7919), 0);
        }

        Assert.True(sketch.IsExact);
        Assert.Equal(HyperLogLog.SparseLimit, sketch.Estimate());
    }

    [Fact]
    public void Merging_distinct_count_sketches_of_overlapping_parts_equals_sketching_their_union()
    {
        var whole = new HyperLogLog();
        var parts = Enumerable.Range(0, 5).Select(_ => new HyperLogLog()).ToArray();
        var random = new Random(17);
        for (var i = 0; i < 50_000; i++)
        {
            var value = FeatureValue.Int64(random.Next(0, 20_000));
            whole.Update(value, 0);
            parts[i % parts.Length].Update(value, 0);
            parts[(i + 1) % parts.Length].Update(value, 0);
        }

        var merged = new HyperLogLog();
        foreach (var part in parts)
        {
            merged.Merge(part);
        }

        Assert.Equal(whole.Estimate(), merged.Estimate());
    }

    public static TheoryData<string> Distributions => ["uniform", "normal", "exponential", "few distinct"];

    [Theory]
    [MemberData(nameof(Distributions))]
    public void Percentiles_lie_within_one_percent_of_rank_alone_and_merged_from_parts(string distribution)
    {
        var random = new Random(distribution.Length);
        var data = Enumerable.Range(0, 40_000).Select(_ => Draw(distribution, random)).ToArray();
        double[] percentiles = [0.1, 1, 5, 25, 50, 75, 95, 99, 99.9];

        var whole = new TDigest(percentiles);
        var parts = Enumerable.Range(0, 16).Select(_ => new TDigest(percentiles)).ToArray();
        for (var i = 0; i < data.Length; i++)
        {
            whole.Update(FeatureValue.Float64(data[i]), 0);
            parts[i % parts.Length].Update(FeatureValue.Float64(data[i]), 0);
        }

        var merged = new TDigest(percentiles);
        foreach (var part in parts)
        {
            merged.Merge(part);
        }

        var sorted = data.Order().ToArray();
        for (var p = 0; p < percentiles.Length; p++)
        {
            foreach (var (digest, how) in new[] { (whole, "alone"), (merged, "merged") })
            {
                var estimate = digest.Result(p).AsFloat64();
                // The estimate's rank: between the share of values below it and the share at or below it.
                var below = LowerBound(sorted, estimate) / (double)sorted.Length;
                var atOrBelow = UpperBound(sorted, estimate) / (double)sorted.Length;
                var q = percentiles[p] / 100;
                var rankError = q < below ? below - q : q > atOrBelow ? q - atOrBelow : 0;
                Assert.True(rankError <= 0.01, $"{distribution}, p{percentiles[p]} {how}: {estimate} has rank {below:P3}-{atOrBelow:P3}");
            }
        }

        Assert.Equal(sorted[0], whole.Quantile(0));
        Assert.Equal(sorted[^1], merged.Quantile(1));
    }

    [Fact]
    public void Percentiles_of_a_few_values_are_the_exact_continuous_percentiles()
    {
        var random = new Random(5);
        var values = Enumerable.Range(0, 25).Select(_ => random.Next(-100, 100) / 8.0).ToArray();
        double[] percentiles = [0, 10, 50, 90, 99, 100];
        var digest = new TDigest(percentiles);
        foreach (var value in values)
        {
            digest.Update(FeatureValue.Float64(value), 0);
        }

        for (var p = 0; p < percentiles.Length; p++)
        {
            Assert.Equal(NaiveWindowAggregation.QuantileCont(values, percentiles[p] / 100), digest.Result(p).AsFloat64(), 12);
        }
    }

    private static double Draw(string distribution, Random random) => distribution switch
    {
        "uniform" => random.NextDouble() * 1000,
        "normal" => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()) * 15 + 100,
        "exponential" => -Math.Log(1 - random.NextDouble()) * 40,
        _ => random.Next(0, 12),
    };

    private static int LowerBound(double[] sorted, double value)
    {
        var index = Array.BinarySearch(sorted, value);
        if (index < 0)
        {
            return ~index;
        }

        while (index > 0 && sorted[index - 1] == value)
        {
            index--;
        }

        return index;
    }

    private static int UpperBound(double[] sorted, double value)
    {
        var index = Array.BinarySearch(sorted, value);
        if (index < 0)
        {
            return ~index;
        }

        while (index < sorted.Length && sorted[index] == value)
        {
            index++;
        }

        return index;
    }
}
