using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Quality.Profiles;
using Granary.Tests.Infrastructure;
using Granary.Tests.Resolution;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Quality.Profiles;

/// <summary>
/// <see cref="FeatureStore.ProfileAsync"/>, <see cref="FeatureStore.GetProfileAsync"/> and
/// <see cref="FeatureStore.ListProfilesAsync"/> over a registry of each kind: the engine computes, the registry keeps,
/// and what another store instance reads back is what was returned.
/// </summary>
public abstract class ProfileFacadeContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 10, 8, 30, 0, TimeSpan.Zero);

    private TempRepository _repo = null!;

    protected FakeTimeProvider Clock { get; } = new(Now);

    /// <summary>The granary.yaml of a fresh, empty registry of the kind under test.</summary>
    protected abstract Task<string> ConfigAsync();

    public async Task InitializeAsync()
    {
        _repo = ProfiledRepository.Create(await ConfigAsync());
        await using var store = Open();
        await store.ApplyAsync();
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _repo.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_profile_is_computed_in_the_period_stored_with_a_new_id_and_the_clock_time_and_read_back()
    {
        ViewProfile profile;
        await using (var store = Open())
        {
            profile = await store.ProfileAsync(ProfiledRepository.View, ProfiledRepository.Start, ProfiledRepository.End);
        }

        await using var reader = Open();
        var read = await reader.GetProfileAsync(profile.Id);

        Assert.Matches("^[0-9a-f]{32}$", profile.Id);
        Assert.Equal(Now, profile.CreatedAt);
        Assert.Equal("duckdb", profile.Engine);
        Assert.Equal(6, profile.Rows);
        Assert.NotNull(read);
        Assert.Equal(profile.Id, read.Id);
        Assert.Equal(ProfiledRepository.View, read.View);
        Assert.Equal(ProfiledRepository.Start, read.Start);
        Assert.Equal(ProfiledRepository.End, read.End);
        Assert.Equal(Now, read.CreatedAt);
        var spend = read.Features[0];
        Assert.Equal(("spend", 6L, 1L, 5L), (spend.Name, spend.Count, spend.NullCount, spend.Distinct));
        // 1, 2, 3, 4, 10: the rows outside the period (1000 before, -50 at the end) are not in it.
        Assert.Equal(4.0, spend.Mean!.Value, 12);
        Assert.Equal((1.0, 10.0), (spend.Min, spend.Max));
        Assert.Equal(profile.Features[0].Baseline!.Sample.Order(), read.Features[0].Baseline!.Sample.Order());
        var segment = read.Features[1];
        Assert.Equal([new CategoryCount("a", 3), new CategoryCount("b", 1), new CategoryCount("c", 1)], segment.TopK);
    }

    [Fact]
    public async Task Without_a_period_the_profile_covers_every_row_up_to_now()
    {
        await using var store = Open();

        var profile = await store.ProfileAsync(ProfiledRepository.View);

        Assert.Equal(DateTimeOffset.MinValue, profile.Start);
        Assert.Equal(Now, profile.End);
        Assert.Equal(8, profile.Rows);
        Assert.Equal((-50.0, 1000.0), (profile.Features[0].Min, profile.Features[0].Max));
    }

    [Fact]
    public async Task A_view_lists_its_profiles_newest_first_within_the_limit_and_counts_them()
    {
        var ids = new List<string>();
        await using (var store = Open())
        {
            for (var i = 0; i < 3; i++)
            {
                ids.Add((await store.ProfileAsync(ProfiledRepository.View, ProfiledRepository.Start, ProfiledRepository.End)).Id);
                Clock.Advance(TimeSpan.FromMinutes(5));
            }
        }

        await using var reader = Open();
        var listed = await reader.ListProfilesAsync(ProfiledRepository.View);
        var limited = await reader.ListProfilesAsync(ProfiledRepository.View, limit: 2);

        Assert.Equal(ids.AsEnumerable().Reverse(), listed.Select(p => p.Id));
        Assert.Equal(ids.AsEnumerable().Reverse().Take(2), limited.Select(p => p.Id));
        Assert.Equal(3, await reader.CountProfilesAsync(ProfiledRepository.View));
    }

    [Fact]
    public async Task An_unknown_view_is_not_found_with_a_hint_and_nothing_is_stored()
    {
        await using var store = Open();

        var error = await Assert.ThrowsAsync<GranaryException>(() => store.ProfileAsync("spendng"));
        var listError = await Assert.ThrowsAsync<GranaryException>(() => store.ListProfilesAsync("spendng"));

        Assert.Equal(ErrorCodes.NotFound, error.Code);
        Assert.Contains("Did you mean 'spending'?", error.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.NotFound, listError.Code);
        Assert.Equal(0, await store.CountProfilesAsync(ProfiledRepository.View));
    }

    [Fact]
    public async Task A_period_that_does_not_start_before_it_ends_is_refused()
    {
        await using var store = Open();

        var error = await Assert.ThrowsAsync<GranaryException>(() => store.ProfileAsync(ProfiledRepository.View, ProfiledRepository.End, ProfiledRepository.End));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.Contains("must start before it ends", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_id_reads_as_null()
    {
        await using var store = Open();

        Assert.Null(await store.GetProfileAsync("0123456789abcdef0123456789abcdef"));
    }

    [Fact]
    public async Task An_engine_that_cannot_profile_is_refused_naming_the_engine()
    {
        await using var store = new FeatureStoreBuilder(_repo.Root).UseTimeProvider(Clock).WrapOfflineEngine(_ => new ResolutionFixtures.BareEngine()).Build();

        var error = await Assert.ThrowsAsync<GranaryException>(() => store.ProfileAsync(ProfiledRepository.View));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.StartsWith("The bare offline engine cannot profile a feature view's data.", error.Message, StringComparison.Ordinal);
    }

    private FeatureStore Open() => new FeatureStoreBuilder(_repo.Root).UseTimeProvider(Clock).Build();
}

/// <summary>The facade over an embedded SQLite registry.</summary>
public sealed class ProfileFacadeSqliteTests : ProfileFacadeContract
{
    protected override Task<string> ConfigAsync() => Task.FromResult("project: shop\nregistry: data/registry.db\n");
}

/// <summary>The facade over a PostgreSQL registry on a fresh database of the shared test server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ProfileFacadePostgresTests(PostgresServer server) : ProfileFacadeContract
{
    protected override async Task<string> ConfigAsync()
    {
        var connectionString = await server.CreateDatabaseAsync();
        var variable = "GRANARY_TEST_PROFILES_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, connectionString);
        return $$"""
            project: shop
            registry:
              type: postgres
              connection: "${{{variable}}}"
            """;
    }
}
