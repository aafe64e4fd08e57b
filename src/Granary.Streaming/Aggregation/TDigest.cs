using Granary.Core.Model;
using Granary.Core.Values;

namespace Granary.Streaming.Aggregation;

/// <summary>
/// Percentiles of a numeric column with a merging t-digest (Dunning and Ertl, "Computing extremely accurate quantiles
/// using t-digests", 2019) of compression <see cref="Compression"/> and the k1 scale function, which keeps centroids
/// small near the tails, so p99 is sharper than p50. Minimum and maximum are exact. While every centroid still holds
/// one value (up to about 30 values) the answer is the exact continuous percentile, as SQL's <c>quantile_cont</c>;
/// beyond, the tested bound is a rank error under 1% at every percentile (the estimate lies between the true
/// percentiles p - 1 and p + 1). Merging adds the other digest's centroids as weighted points and recompresses.
/// </summary>
internal sealed class TDigest(double[] percentiles) : AggregateState
{
    public const double Compression = 100;

    /// <summary>Points are buffered and folded in batches: <see cref="Update"/> costs an append until then.</summary>
    private const int MaxBuffer = 5 * (int)Compression;

    private double[] _means = [];
    private double[] _weights = [];
    private int _centroids;
    private double[] _bufferValues = [];
    private double[] _bufferWeights = [];
    private int _buffered;
    private double _totalWeight;
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;

    public double Count => _totalWeight;

    public override void Update(in FeatureValue value, long eventMicros)
    {
        var x = ScalarValues.ToDouble(value);
        if (double.IsNaN(x))
        {
            return; // NaN has no rank; SQL engines disagree on where it goes, so it is left out as a null would be.
        }

        Add(x, 1);
    }

    public override void Merge(AggregateState other)
    {
        var o = (TDigest)other;
        for (var i = 0; i < o._centroids; i++)
        {
            Add(o._means[i], o._weights[i]);
        }

        for (var i = 0; i < o._buffered; i++)
        {
            Add(o._bufferValues[i], o._bufferWeights[i]);
        }

        _min = Math.Min(_min, o._min);
        _max = Math.Max(_max, o._max);
    }

    public override FeatureValue Result(int output) =>
        _totalWeight == 0 ? FeatureValue.Null(FeatureType.Float64) : FeatureValue.Float64(Quantile(percentiles[output] / 100));

    /// <summary>The estimated <paramref name="q"/>-quantile, q in [0, 1]; NaN when empty.</summary>
    public double Quantile(double q)
    {
        Compress();
        if (_centroids == 0)
        {
            return double.NaN;
        }

        if (_centroids == 1 || q <= 0)
        {
            return q <= 0 ? _min : q >= 1 ? _max : _means[0];
        }

        if (q >= 1)
        {
            return _max;
        }

        return _centroids == _totalWeight ? ExactQuantile(q) : Interpolate(q);
    }

    public override void Write(StateWriter writer)
    {
        Compress();
        writer.WriteLength(_centroids);
        if (_centroids == 0)
        {
            return;
        }

        writer.WriteDouble(_min);
        writer.WriteDouble(_max);
        for (var i = 0; i < _centroids; i++)
        {
            writer.WriteDouble(_means[i]);
            writer.WriteDouble(_weights[i]);
        }
    }

    public static TDigest Read(ref StateReader reader, double[] percentiles)
    {
        var digest = new TDigest(percentiles);
        var count = reader.ReadLength();
        if (count == 0)
        {
            return digest;
        }

        var min = reader.ReadDouble();
        var max = reader.ReadDouble();
        digest._means = new double[count];
        digest._weights = new double[count];
        for (var i = 0; i < count; i++)
        {
            digest._means[i] = reader.ReadDouble();
            digest._weights[i] = reader.ReadDouble();
            digest._totalWeight += digest._weights[i];
        }

        digest._centroids = count;
        digest._min = min;
        digest._max = max;
        return digest;
    }

    private void Add(double value, double weight)
    {
        if (_buffered == _bufferValues.Length)
        {
            if (_buffered == MaxBuffer)
            {
                Compress();
            }
            else
            {
                var size = Math.Min(MaxBuffer, Math.Max(8, _buffered * 2));
                Array.Resize(ref _bufferValues, size);
                Array.Resize(ref _bufferWeights, size);
            }
        }

        _bufferValues[_buffered] = value;
        _bufferWeights[_buffered] = weight;
        _buffered++;
        _totalWeight += weight;
        _min = Math.Min(_min, value);
        _max = Math.Max(_max, value);
    }

    /// <summary>Folds the buffer into the centroids: one pass over everything sorted by mean, merging neighbours while the k1 bound allows.</summary>
    private void Compress()
    {
        if (_buffered == 0)
        {
            return;
        }

        var count = _centroids + _buffered;
        var means = new double[count];
        var weights = new double[count];
        Array.Copy(_means, means, _centroids);
        Array.Copy(_weights, weights, _centroids);
        Array.Copy(_bufferValues, 0, means, _centroids, _buffered);
        Array.Copy(_bufferWeights, 0, weights, _centroids, _buffered);
        Array.Sort(means, weights);

        var total = _totalWeight;
        var merged = 0;
        var weightBefore = 0.0;
        var limit = total * KInverse(K(0) + 1);
        var currentMean = means[0];
        var currentWeight = weights[0];
        for (var i = 1; i < count; i++)
        {
            var proposed = currentWeight + weights[i];
            if (weightBefore + proposed <= limit)
            {
                currentMean += (means[i] - currentMean) * weights[i] / proposed;
                currentWeight = proposed;
                continue;
            }

            means[merged] = currentMean;
            weights[merged] = currentWeight;
            merged++;
            weightBefore += currentWeight;
            limit = total * KInverse(K(weightBefore / total) + 1);
            currentMean = means[i];
            currentWeight = weights[i];
        }

        means[merged] = currentMean;
        weights[merged] = currentWeight;
        merged++;

        _means = means;
        _weights = weights;
        _centroids = merged;
        _buffered = 0;
    }

    private static double K(double q) => Compression / (2 * Math.PI) * Math.Asin(2 * Math.Clamp(q, 0, 1) - 1);

    private static double KInverse(double k) =>
        k >= Compression / 4 ? 1 : (Math.Sin(k * 2 * Math.PI / Compression) + 1) / 2;

    /// <summary>Every centroid holds one value: the continuous percentile of the sorted values, as <c>quantile_cont</c>.</summary>
    private double ExactQuantile(double q)
    {
        var position = q * (_centroids - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, _centroids - 1);
        return _means[lower] + (position - lower) * (_means[upper] - _means[lower]);
    }

    /// <summary>
    /// Interpolates between centroid centres by cumulative weight, with the exact minimum and maximum as the ends, and
    /// a centroid of weight one taken as a point (Dunning's interpolation in MergingDigest).
    /// </summary>
    private double Interpolate(double q)
    {
        var index = q * _totalWeight;
        var last = _centroids - 1;
        if (index < 1)
        {
            return _min;
        }

        if (_weights[0] > 1 && index < _weights[0] / 2)
        {
            return _min + (index - 1) / (_weights[0] / 2 - 1) * (_means[0] - _min);
        }

        if (index > _totalWeight - 1)
        {
            return _max;
        }

        if (_weights[last] > 1 && _totalWeight - index <= _weights[last] / 2)
        {
            return _max - (_totalWeight - index - 1) / (_weights[last] / 2 - 1) * (_max - _means[last]);
        }

        var weightSoFar = _weights[0] / 2;
        for (var i = 0; i < last; i++)
        {
            var gap = (_weights[i] + _weights[i + 1]) / 2;
            if (weightSoFar + gap > index)
            {
                var leftUnit = 0.0;
                if (_weights[i] == 1)
                {
                    if (index - weightSoFar < 0.5)
                    {
                        return _means[i];
                    }

                    leftUnit = 0.5;
                }

                var rightUnit = 0.0;
                if (_weights[i + 1] == 1)
                {
                    if (weightSoFar + gap - index <= 0.5)
                    {
                        return _means[i + 1];
                    }

                    rightUnit = 0.5;
                }

                var z1 = index - weightSoFar - leftUnit;
                var z2 = weightSoFar + gap - index - rightUnit;
                return (_means[i] * z2 + _means[i + 1] * z1) / (z1 + z2);
            }

            weightSoFar += gap;
        }

        return _means[last];
    }
}
