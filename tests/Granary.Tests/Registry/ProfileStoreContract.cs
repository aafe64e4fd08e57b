using Granary.Core.Model;
using Granary.Quality.Profiles;
using Granary.Registry.Storage;

namespace Granary.Tests.Registry;

/// <summary>
/// The stored profiles every <see cref="IRegistryStore"/> keeps (<see cref="Granary.Registry.Monitoring.IProfileStore"/>).
/// What a test saves is read back through another store instance over the same location.
/// </summary>
public abstract class ProfileStoreContract : RegistryLocationContract
{
    private const string Project = "shop";
    private static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1_234_567);

    [Fact]
    public async Task A_saved_profile_reads_back_whole_with_its_baselines_in_microseconds()
    {
        var profile = Profile("user_activity", T0);

        await Open().SaveProfileAsync(Project, profile);
        var read = await Open().GetProfileAsync(Project, profile.Id);

        Assert.NotNull(read);
        Assert.Equal(profile.Id, read.Id);
        Assert.Equal("user_activity", read.View);
        Assert.Equal(T0.AddTicks(-7), read.CreatedAt);
        Assert.Equal(T0.AddDays(-1).AddTicks(-7), read.Start);
        Assert.Equal(profile.Features.Select(f => f.Name), read.Features.Select(f => f.Name));
        Assert.Equal(profile.Features[0].Quantiles, read.Features[0].Quantiles);
        Assert.Equal(profile.Features[0].Histogram, read.Features[0].Histogram);
        Assert.Equal(profile.Features[0].Baseline!.Sample, read.Features[0].Baseline!.Sample);
        Assert.Equal(profile.Features[0].Baseline!.Deciles, read.Features[0].Baseline!.Deciles);
        Assert.Equal(profile.Features[1].Baseline!.Categories, read.Features[1].Baseline!.Categories);
        Assert.Equal(profile.Features[1].TopK, read.Features[1].TopK);
    }

    [Fact]
    public async Task A_view_lists_its_own_profiles_newest_first_within_the_limit_and_counts_them()
    {
        var store = Open();
        var created = new List<ViewProfile>();
        foreach (var minutes in new[] { 5, 1, 9, 3 })
        {
            var profile = Profile("user_activity", T0.AddMinutes(minutes));
            created.Add(profile);
            await store.SaveProfileAsync(Project, profile);
        }

        await store.SaveProfileAsync(Project, Profile("other_view", T0.AddHours(1)));
        await store.SaveProfileAsync("another_project", Profile("user_activity", T0.AddHours(2)));

        var listed = await Open().ListProfilesAsync(Project, "user_activity");
        var limited = await Open().ListProfilesAsync(Project, "user_activity", limit: 2);

        Assert.Equal(created.OrderByDescending(p => p.CreatedAt).Select(p => p.Id), listed.Select(p => p.Id));
        Assert.Equal(listed.Take(2).Select(p => p.Id), limited.Select(p => p.Id));
        Assert.Equal(4, await Open().CountProfilesAsync(Project, "user_activity"));
        Assert.Empty(await Open().ListProfilesAsync(Project, "no_such_view"));
    }

    [Fact]
    public async Task An_unknown_id_or_another_projects_profile_is_not_found()
    {
        var profile = Profile("user_activity", T0);
        await Open().SaveProfileAsync(Project, profile);

        Assert.Null(await Open().GetProfileAsync(Project, Guid.CreateVersion7().ToString("N")));
        Assert.Null(await Open().GetProfileAsync("another_project", profile.Id));
    }

    [Fact]
    public async Task Saving_a_profile_again_under_its_id_replaces_it()
    {
        var profile = Profile("user_activity", T0);
        await Open().SaveProfileAsync(Project, profile);

        await Open().SaveProfileAsync(Project, profile with { Rows = 99 });

        Assert.Equal(99, (await Open().GetProfileAsync(Project, profile.Id))!.Rows);
        Assert.Equal(1, await Open().CountProfilesAsync(Project, "user_activity"));
    }

    private static ViewProfile Profile(string view, DateTimeOffset createdAt)
    {
        var numeric = new FeatureAggregates("ctr", FeatureType.Float64)
        {
            Count = 4, NonNull = 3, Distinct = 3, Mean = 0.2, StdDev = 0.1, Min = 0.1, Max = 0.3,
            Quantiles = ProfileLevels.Levels.Select(l => 0.1 + (0.2 * l)).ToArray(),
            BinCounts = Enumerable.Range(0, ProfileLimits.HistogramBins).Select(i => (long)(i % 3)).ToArray(),
            Sample = [0.3, 0.1, 0.2],
        };
        var text = new FeatureAggregates("country", FeatureType.String)
        {
            Count = 4, NonNull = 4, Distinct = 2, Categories = [new CategoryCount("de", 3), new CategoryCount("fr", 1)],
        };
        return new ViewProfile
        {
            Id = Guid.CreateVersion7(createdAt).ToString("N"),
            View = view,
            Start = createdAt.AddDays(-1),
            End = createdAt,
            CreatedAt = createdAt,
            Engine = "duckdb",
            Rows = 4,
            Features = [numeric.Assemble(), text.Assemble()],
        };
    }
}
