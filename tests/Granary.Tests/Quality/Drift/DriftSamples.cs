using MathNet.Numerics.Distributions;

namespace Granary.Tests.Quality.Drift;

/// <summary>Seeded, reproducible samples for the drift tests.</summary>
internal static class DriftSamples
{
    public static double[] Normal(int seed, int count, double mean, double stddev)
    {
        var values = new double[count];
        new Normal(mean, stddev, new Random(seed)).Samples(values);
        return values;
    }

    /// <summary>Whole numbers in [0, range) plus an offset: many ties.</summary>
    public static double[] Tied(int seed, int count, int range, double offset)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = random.Next(range) + offset;
        }

        return values;
    }

    public static double[] Sorted(double[] values)
    {
        var copy = (double[])values.Clone();
        Array.Sort(copy);
        return copy;
    }
}
