using System.Globalization;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Offline;
using Granary.Offline.Files;
using Granary.Offline.Retrieval;
using Granary.Quality.Profiles;

namespace Granary.Drift;

/// <summary>
/// The current side of a serving drift check: the values a view served in a period, read from its serving log and
/// drawn as <see cref="IDriftSampleReader"/> draws a view's source rows (a uniform sample of up to
/// <see cref="ProfileLimits.SampleSize"/> numbers, or the counts of the most frequent values), so that served values
/// compare with a training set as source rows do.
/// </summary>
/// <remarks>
/// The log is read once, in one pass, and only the samples are kept: a reservoir per numeric feature and a count per
/// distinct value of a categorical one, whatever the number of rows. A value that was not found online (served as
/// null) is left out, like a null.
/// </remarks>
internal static class ServedDriftSamples
{
    /// <summary>One sample per field; null when nothing is logged as served in the period.</summary>
    public static async Task<DriftSampleValues[]?> ReadAsync(
        IServingLog log, ServingLogTable table, IReadOnlyList<Field> fields, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var (keys, features) = (table.JoinKeys.Count, table.Features.Count);
        var samplers = new Sampler[fields.Count];
        for (var i = 0; i < samplers.Length; i++)
        {
            var index = IndexOf(table, fields[i].Name);
            samplers[i] = new Sampler(keys + 1 + index, keys + 1 + features + index, ProfileKinds.Of(fields[i].Type), new Random(DriftSampling.DefaultSeed));
        }

        var rows = 0L;
        await using (var read = await log.ReadAsync(table, start, end, cancellationToken))
        {
            var reader = read.Reader;
            while (await reader.ReadAsync(cancellationToken))
            {
                rows++;
                foreach (var sampler in samplers)
                {
                    if (!reader.IsDBNull(sampler.Value) && !reader.IsDBNull(sampler.Found)
                        && Convert.ToBoolean(reader.GetValue(sampler.Found), CultureInfo.InvariantCulture))
                    {
                        sampler.Add(reader.GetValue(sampler.Value));
                    }
                }
            }
        }

        if (rows == 0)
        {
            return null;
        }

        var samples = new DriftSampleValues[fields.Count];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = samplers[i].Build(fields[i].Name);
        }

        return samples;
    }

    private static int IndexOf(ServingLogTable table, string feature)
    {
        for (var i = 0; i < table.Features.Count; i++)
        {
            if (table.Features[i].Name == feature)
            {
                return i;
            }
        }

        throw new GranaryException(ErrorCodes.Internal, $"The serving log of '{table.View}' has no column for feature '{feature}'.");
    }

    private sealed class Sampler(int value, int found, ProfileKind kind, Random random)
    {
        private readonly List<double> _values = [];
        private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
        private long _nonNull;

        public int Value { get; } = value;

        public int Found { get; } = found;

        public void Add(object served)
        {
            _nonNull++;
            if (kind != ProfileKind.Numeric)
            {
                var text = CsvRowWriter.Format(served);
                _counts[text] = _counts.GetValueOrDefault(text) + 1;
                return;
            }

            // Reservoir sampling (Algorithm R): every value seen so far is in the sample with the same chance.
            var number = Convert.ToDouble(served, CultureInfo.InvariantCulture);
            if (_values.Count < ProfileLimits.SampleSize)
            {
                _values.Add(number);
            }
            else if (random.NextInt64(_nonNull) is var slot && slot < ProfileLimits.SampleSize)
            {
                _values[(int)slot] = number;
            }
        }

        public DriftSampleValues Build(string name)
        {
            if (kind == ProfileKind.Numeric)
            {
                return new DriftSampleValues(name, kind, _nonNull, _values, []);
            }

            // The most frequent values one by one (ties by value), the rest together, as the engines count them.
            var ranked = _counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();
            var categories = new List<CategoryCount>(Math.Min(ranked.Count, DriftSampling.Categories + 1));
            long other = 0;
            for (var i = 0; i < ranked.Count; i++)
            {
                if (i < DriftSampling.Categories)
                {
                    categories.Add(new CategoryCount(ranked[i].Key, ranked[i].Value));
                }
                else
                {
                    other += ranked[i].Value;
                }
            }

            if (other > 0)
            {
                categories.Add(new CategoryCount(DriftSampling.OtherCategory, other));
            }

            return new DriftSampleValues(name, kind, _nonNull, _values, categories);
        }
    }
}
