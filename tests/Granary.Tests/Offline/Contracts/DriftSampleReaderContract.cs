using Granary.Core.Model;
using Granary.Offline;
using Granary.Offline.Retrieval;
using Granary.Quality.Profiles;
using Granary.Tests.Quality.Profiles;

namespace Granary.Tests.Offline.Contracts;

/// <summary>
/// <see cref="IDriftSampleReader"/>: over the rows a profile reads (event time in [start, end)), a numeric feature's
/// sample is all its non-null values when they are few, and a uniform, repeatable sample of the size asked for when
/// they are many; a categorical feature's counts are exact, the values beyond the most frequent thousand summed as one.
/// </summary>
public abstract class DriftSampleReaderContract : OfflineCapabilityContract<IDriftSampleReader>
{
    /// <summary>A source of this engine's kind holding <paramref name="rows"/> (columns ts, ctr, clicks, country, active).</summary>
    protected abstract Task<BatchSource> CreateSourceAsync(IReadOnlyList<ProfileRow> rows);

    private static DriftSampleRequest Request(BatchSource source, string root) =>
        new(ProfileRow.Request(source, root).View, new DateTimeOffset(ProfileRow.Start), new DateTimeOffset(ProfileRow.End), root);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Few_values_are_sampled_whole_and_categories_counted_exactly(int seed)
    {
        var rows = ProfileRow.Generate(seed, maxRows: 120);
        var inRange = rows.Where(r => r.At >= ProfileRow.Start && r.At < ProfileRow.End).ToList();

        var samples = await Capability.ReadDriftSamplesAsync(Request(await CreateSourceAsync(rows), Root));

        Assert.Equal(["ctr", "clicks", "country", "active"], samples.Select(s => s.Name));
        Assert.Equal([ProfileKind.Numeric, ProfileKind.Numeric, ProfileKind.Categorical, ProfileKind.Categorical], samples.Select(s => s.Kind));
        double[] ctr = [.. inRange.Where(r => r.Ctr is not null).Select(r => r.Ctr!.Value)];
        double[] clicks = [.. inRange.Where(r => r.Clicks is not null).Select(r => (double)r.Clicks!.Value)];
        Assert.Equal(ctr.Order(), samples[0].Values.Order());
        Assert.Equal(clicks.Order(), samples[1].Values.Order());
        Assert.Equal(ctr.Length, samples[0].NonNull);
        Assert.Empty(samples[0].Categories);
        var countries = NaiveProfile.Categories([.. inRange.Where(r => r.Country is not null).Select(r => r.Country!)]);
        var active = NaiveProfile.Categories([.. inRange.Where(r => r.Active is not null).Select(r => r.Active!.Value ? "true" : "false")]);
        Assert.Equal(countries.OrderBy(c => c.Value, StringComparer.Ordinal), samples[2].Categories.OrderBy(c => c.Value, StringComparer.Ordinal));
        Assert.Equal(active.OrderBy(c => c.Value, StringComparer.Ordinal), samples[3].Categories.OrderBy(c => c.Value, StringComparer.Ordinal));
        Assert.Empty(samples[2].Values);
    }

    [Fact]
    public async Task Many_values_give_a_uniform_sample_of_the_size_the_same_for_the_same_seed()
    {
        // 13,500 non-null ctr values 1..14,999 (every tenth row null), all inside the period.
        var rows = Enumerable.Range(0, 15_000)
            .Select(i => new ProfileRow(ProfileRow.Start.AddSeconds(i), i % 10 == 0 ? null : i, i, "c" + (i % 1200), i % 2 == 0))
            .ToList();
        var source = await CreateSourceAsync(rows);

        var first = await Capability.ReadDriftSamplesAsync(Request(source, Root));
        var again = await Capability.ReadDriftSamplesAsync(Request(source, Root));
        var reseeded = await Capability.ReadDriftSamplesAsync(Request(source, Root) with { Seed = 99 });
        var smaller = await Capability.ReadDriftSamplesAsync(Request(source, Root) with { SampleSize = 500 });

        var ctr = first[0].Values;
        Assert.Equal(13_500, first[0].NonNull);
        Assert.Equal(ProfileLimits.SampleSize, ctr.Count);
        Assert.Equal(ctr.Count, ctr.Distinct().Count());
        Assert.All(ctr, v => Assert.True(v % 10 != 0 && v is > 0 and < 15_000, $"{v} is not a non-null value of the period"));
        Assert.Equal(ctr.Order(), again[0].Values.Order());
        Assert.NotEqual(ctr.Order(), reseeded[0].Values.Order());
        Assert.Equal(500, smaller[0].Values.Count);

        // Uniform: the sample's mean and its share below the median are those of all values, within a few standard errors.
        Assert.InRange(ctr.Average(), 7_500 - 120, 7_500 + 120);
        Assert.InRange(ctr.Count(v => v < 7_500) / (double)ctr.Count, 0.48, 0.52);
        Assert.InRange(smaller[0].Values.Average(), 7_500 - 800, 7_500 + 800);
    }

    [Fact]
    public async Task Values_beyond_the_thousand_most_frequent_are_summed_as_other()
    {
        // 1,200 countries: c0..c599 thirteen times each, the other 600 twelve times.
        var rows = Enumerable.Range(0, 15_000)
            .Select(i => new ProfileRow(ProfileRow.Start.AddSeconds(i), i, i, "c" + (i % 1200), i % 2 == 0))
            .ToList();

        var samples = await Capability.ReadDriftSamplesAsync(Request(await CreateSourceAsync(rows), Root));

        var countries = samples[2].Categories;
        Assert.Equal(DriftSampling.Categories + 1, countries.Count);
        Assert.Equal(15_000, countries.Sum(c => c.Count));
        Assert.Equal(13, countries.Single(c => c.Value == "c0").Count);
        Assert.Equal(600, countries.Count(c => c.Count == 13));
        // 400 of the twelve-times values (by name) are kept; the other 200 are summed.
        Assert.Equal(200 * 12, countries.Single(c => c.Value == DriftSampling.OtherCategory).Count);
        Assert.Equal([new CategoryCount("false", 7_500), new CategoryCount("true", 7_500)], samples[3].Categories.OrderBy(c => c.Value, StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_period_without_rows_samples_nothing()
    {
        var rows = ProfileRow.Generate(7).Select(r => r with { At = ProfileRow.End.AddHours(1) }).ToList();

        var samples = await Capability.ReadDriftSamplesAsync(Request(await CreateSourceAsync(rows), Root));

        Assert.All(samples, s => Assert.Equal(0, s.NonNull));
        Assert.All(samples, s => Assert.Empty(s.Values));
        Assert.All(samples, s => Assert.Empty(s.Categories));
    }
}
