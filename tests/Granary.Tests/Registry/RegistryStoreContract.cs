using System.Security.Cryptography;
using System.Text;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Registry.Storage;

namespace Granary.Tests.Registry;

/// <summary>
/// The behaviour every <see cref="IRegistryStore"/> must have. A backend is tested by deriving a fixture that says how
/// to make a fresh, empty registry location; every test then runs against it. Assertions are on what a store returns
/// after a reload (usually through a second store instance), never on the objects the test built.
/// </summary>
public abstract class RegistryStoreContract : IAsyncLifetime
{
    private const string Project = "shop";
    private const string AppliedBy = "tester@ci";

    private static readonly DateTimeOffset T1 = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1_234_560);
    private static readonly DateTimeOffset T2 = T1.AddMinutes(5).AddTicks(10);
    private static readonly DateTimeOffset T3 = T1.AddHours(1);

    private readonly List<IRegistryStore> _stores = [];
    private Func<IRegistryStore>? _location;

    /// <summary>Prepares a fresh, empty registry location; returns a factory of new store instances over it.</summary>
    protected abstract Task<Func<IRegistryStore>> CreateLocationAsync();

    /// <summary>A store whose database cannot be opened, and the fragments its error must name.</summary>
    protected abstract (IRegistryStore Store, string[] MessageMustName) CreateUnreachableStore();

    public async Task InitializeAsync()
    {
        _location = await CreateLocationAsync();
        await Open().InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        await CleanupAsync();
    }

    /// <summary>Removes what <see cref="CreateLocationAsync"/> made.</summary>
    protected virtual Task CleanupAsync() => Task.CompletedTask;

    [Fact]
    public async Task New_project_has_version_zero_and_no_objects()
    {
        var store = Open();

        Assert.Equal(0, await store.GetVersionAsync("never-applied"));
        var snapshot = await store.LoadAsync("never-applied");
        Assert.Equal("never-applied", snapshot.Project);
        Assert.Equal(0, snapshot.Version);
        Assert.Empty(snapshot.Objects);
        Assert.Empty(await store.GetHistoryAsync("never-applied"));
    }

    [Fact]
    public async Task Projects_are_listed_by_name_with_their_version_and_last_apply_once_applied()
    {
        Assert.Empty(await Open().ListProjectsAsync());
        await Open().ApplyAsync(Request(0, T1, Add(ObjectKind.Entity, "driver", DriverSpec)));
        await Open().ApplyAsync(Request(1, T2, Add(ObjectKind.Entity, "customer", CustomerSpec)));
        await Open().ApplyAsync(new ApplyRequest("analytics", 0, [Add(ObjectKind.Entity, "driver", DriverSpec)], "{}", AppliedBy, T3));
        _ = await Open().GetVersionAsync("never-applied");

        Assert.Equal(
            [new RegistryProject("analytics", 1, T3), new RegistryProject(Project, 2, T2)],
            await Open().ListProjectsAsync());
    }

    [Fact]
    public async Task Added_objects_come_back_with_spec_hash_versions_and_timestamps()
    {
        var version = await Open().ApplyAsync(Request(0, T1, Add(ObjectKind.Entity, "driver", DriverSpec), Add(ObjectKind.FeatureView, "driver_stats", StatsSpec)));

        Assert.Equal(1, version);
        var snapshot = await Open().LoadAsync(Project);
        Assert.Equal(1, snapshot.Version);
        Assert.Equal(1, await Open().GetVersionAsync(Project));
        Assert.Equal(
            [
                new StoredObject(ObjectKind.Entity, "driver", DriverSpec, Hash(DriverSpec), 1, 1, T1, T1),
                new StoredObject(ObjectKind.FeatureView, "driver_stats", StatsSpec, Hash(StatsSpec), 1, 1, T1, T1),
            ],
            snapshot.Objects);
    }

    [Fact]
    public async Task Update_moves_updated_version_and_time_but_keeps_created()
    {
        await Open().ApplyAsync(Request(0, T1, Add(ObjectKind.Entity, "driver", DriverSpec), Add(ObjectKind.FeatureView, "driver_stats", StatsSpec)));
        var version = await Open().ApplyAsync(Request(1, T2, Update(ObjectKind.FeatureView, "driver_stats", StatsSpec, StatsSpecV2)));

        Assert.Equal(2, version);
        var snapshot = await Open().LoadAsync(Project);
        Assert.Equal(2, snapshot.Version);
        Assert.Equal(
            [
                new StoredObject(ObjectKind.Entity, "driver", DriverSpec, Hash(DriverSpec), 1, 1, T1, T1),
                new StoredObject(ObjectKind.FeatureView, "driver_stats", StatsSpecV2, Hash(StatsSpecV2), 1, 2, T1, T2),
            ],
            snapshot.Objects);
    }

    [Fact]
    public async Task Removed_objects_are_gone_and_the_others_are_untouched()
    {
        await Open().ApplyAsync(Request(0, T1, Add(ObjectKind.Entity, "driver", DriverSpec), Add(ObjectKind.Entity, "customer", CustomerSpec)));
        await Open().ApplyAsync(Request(1, T2, Remove(ObjectKind.Entity, "driver", DriverSpec)));

        var snapshot = await Open().LoadAsync(Project);
        Assert.Equal(2, snapshot.Version);
        Assert.Equal([new StoredObject(ObjectKind.Entity, "customer", CustomerSpec, Hash(CustomerSpec), 1, 1, T1, T1)], snapshot.Objects);
    }

    [Fact]
    public async Task Objects_load_in_dependency_order_then_by_ordinal_name()
    {
        await Open().ApplyAsync(Request(
            0,
            T1,
            Add(ObjectKind.FeatureService, "z", "{}"),
            Add(ObjectKind.FeatureView, "b", "{}"),
            Add(ObjectKind.Entity, "b", "{}"),
            Add(ObjectKind.DataSource, "a", "{}"),
            Add(ObjectKind.Entity, "a", "{}"),
            Add(ObjectKind.Entity, "B", "{}"),
            Add(ObjectKind.FeatureView, "a", "{}")));

        var snapshot = await Open().LoadAsync(Project);
        Assert.Equal(
            [
                (ObjectKind.Entity, "B"), (ObjectKind.Entity, "a"), (ObjectKind.Entity, "b"), (ObjectKind.DataSource, "a"),
                (ObjectKind.FeatureView, "a"), (ObjectKind.FeatureView, "b"), (ObjectKind.FeatureService, "z"),
            ],
            snapshot.Objects.Select(o => (o.Kind, o.Name)));
    }

    [Fact]
    public async Task Empty_apply_bumps_the_version_and_records_history()
    {
        Assert.Equal(1, await Open().ApplyAsync(Request(0, T1)));

        var store = Open();
        Assert.Equal(1, (await store.LoadAsync(Project)).Version);
        Assert.Empty((await store.LoadAsync(Project)).Objects);
        var entry = Assert.Single(await store.GetHistoryAsync(Project));
        Assert.Equal(1, entry.Version);
        Assert.Empty(entry.Changes);
    }

    [Fact]
    public async Task History_is_newest_first_with_changes_and_definitions_as_applied()
    {
        var requests = new[]
        {
            Request(0, T1, Add(ObjectKind.Entity, "driver", DriverSpec), Add(ObjectKind.FeatureView, "driver_stats", StatsSpec)),
            Request(1, T2, Update(ObjectKind.FeatureView, "driver_stats", StatsSpec, StatsSpecV2), Add(ObjectKind.Entity, "customer", CustomerSpec)),
            Request(2, T3, Remove(ObjectKind.FeatureView, "driver_stats", StatsSpecV2)),
        };
        foreach (var request in requests)
        {
            await Open().ApplyAsync(request);
        }

        var history = await Open().GetHistoryAsync(Project);

        Assert.Equal([3L, 2L, 1L], history.Select(h => h.Version));
        for (var i = 0; i < requests.Length; i++)
        {
            AssertRecordsRequest(requests[i], 1 + i, history[requests.Length - 1 - i]);
        }
    }

    [Fact]
    public async Task Later_applies_leave_earlier_history_rows_unchanged()
    {
        await Open().ApplyAsync(Request(0, T1, Add(ObjectKind.Entity, "driver", DriverSpec)));
        var first = Assert.Single(await Open().GetHistoryAsync(Project));

        await Open().ApplyAsync(Request(1, T2, Update(ObjectKind.Entity, "driver", DriverSpec, CustomerSpec)));
        await Open().ApplyAsync(Request(2, T3, Remove(ObjectKind.Entity, "driver", CustomerSpec)));
        var history = await Open().GetHistoryAsync(Project);

        var again = history[^1];
        Assert.Equal(first.Version, again.Version);
        Assert.Equal(first.AppliedAt, again.AppliedAt);
        Assert.Equal(first.AppliedBy, again.AppliedBy);
        Assert.Equal(first.Definitions, again.Definitions);
        Assert.Equal(first.Changes, again.Changes);
    }

    [Fact]
    public async Task History_limit_returns_the_newest_entries()
    {
        for (var v = 0; v < 3; v++)
        {
            await Open().ApplyAsync(Request(v, T1.AddMinutes(v)));
        }

        Assert.Equal([3L, 2L], (await Open().GetHistoryAsync(Project, limit: 2)).Select(h => h.Version));
    }

    [Fact]
    public async Task Stale_apply_is_rejected_and_writes_nothing()
    {
        await Open().ApplyAsync(Request(0, T1, Add(ObjectKind.Entity, "driver", DriverSpec), Add(ObjectKind.FeatureView, "driver_stats", StatsSpec)));
        await Open().ApplyAsync(Request(1, T2, Update(ObjectKind.FeatureView, "driver_stats", StatsSpec, StatsSpecV2)));
        var before = await CaptureAsync();

        // Planned against version 1, but the registry is at 2.
        var stale = Request(1, T3, Add(ObjectKind.Entity, "customer", CustomerSpec), Update(ObjectKind.FeatureView, "driver_stats", StatsSpecV2, "{\"other\":true}"));
        var error = await Assert.ThrowsAsync<GranaryException>(() => Open().ApplyAsync(stale));

        Assert.Equal(ErrorCodes.RegistryConflict, error.Code);
        Assert.Contains("from version 1 to 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("re-run", error.Message, StringComparison.OrdinalIgnoreCase);
        await AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task First_apply_to_a_project_that_already_exists_is_rejected()
    {
        await Open().ApplyAsync(Request(0, T1, Add(ObjectKind.Entity, "driver", DriverSpec)));
        var before = await CaptureAsync();

        var error = await Assert.ThrowsAsync<GranaryException>(() => Open().ApplyAsync(Request(0, T2, Add(ObjectKind.Entity, "customer", CustomerSpec))));

        Assert.Equal(ErrorCodes.RegistryConflict, error.Code);
        Assert.Contains("from version 0 to 1", error.Message, StringComparison.Ordinal);
        await AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Adding_an_object_that_exists_is_a_conflict_and_writes_nothing()
    {
        await Open().ApplyAsync(Request(0, T1, Add(ObjectKind.Entity, "driver", DriverSpec)));
        var before = await CaptureAsync();

        // The first change alone would succeed: the conflict on the second must undo it.
        var request = Request(1, T2, Add(ObjectKind.Entity, "customer", CustomerSpec), Add(ObjectKind.Entity, "driver", StatsSpec));
        var error = await Assert.ThrowsAsync<GranaryException>(() => Open().ApplyAsync(request));

        Assert.Equal(ErrorCodes.RegistryConflict, error.Code);
        Assert.Contains("'driver'", error.Message, StringComparison.Ordinal);
        await AssertUnchangedAsync(before);
    }

    [Theory]
    [InlineData(ChangeAction.Update)]
    [InlineData(ChangeAction.Remove)]
    public async Task Changing_an_object_that_is_not_there_is_a_conflict_and_writes_nothing(ChangeAction action)
    {
        await Open().ApplyAsync(Request(0, T1, Add(ObjectKind.Entity, "driver", DriverSpec)));
        var before = await CaptureAsync();

        var missing = action == ChangeAction.Update
            ? Update(ObjectKind.FeatureView, "ghost", StatsSpec, StatsSpecV2)
            : Remove(ObjectKind.FeatureView, "ghost", StatsSpec);
        var request = Request(1, T2, Update(ObjectKind.Entity, "driver", DriverSpec, CustomerSpec), missing);
        var error = await Assert.ThrowsAsync<GranaryException>(() => Open().ApplyAsync(request));

        Assert.Equal(ErrorCodes.RegistryConflict, error.Code);
        Assert.Contains("'ghost'", error.Message, StringComparison.Ordinal);
        await AssertUnchangedAsync(before);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task Concurrent_applies_with_the_same_expected_version_let_exactly_one_win(long baseVersion)
    {
        const int Writers = 8;
        if (baseVersion == 1)
        {
            await Open().ApplyAsync(Request(0, T1, Add(ObjectKind.Entity, "driver", DriverSpec)));
        }

        var before = await Open().LoadAsync(Project);
        var requests = Enumerable.Range(0, Writers)
            .Select(i => Request(baseVersion, T2.AddSeconds(i), Add(ObjectKind.FeatureView, $"view_{i}", $"{{\"writer\":{i}}}")))
            .ToArray();
        var stores = requests.Select(_ => Open()).ToArray();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var applies = requests.Select((request, i) => Task.Run(async () =>
        {
            await start.Task;
            return await stores[i].ApplyAsync(request);
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(applies.Select(a => a.ContinueWith(_ => { }, TaskScheduler.Default)));

        var winners = Enumerable.Range(0, Writers).Where(i => applies[i].IsCompletedSuccessfully).ToArray();
        var winner = Assert.Single(winners);
        Assert.Equal(baseVersion + 1, await applies[winner]);
        foreach (var loser in applies.Where(a => !a.IsCompletedSuccessfully))
        {
            var error = Assert.IsType<GranaryException>(loser.Exception?.InnerException);
            Assert.Equal(ErrorCodes.RegistryConflict, error.Code);
        }

        var after = await Open().LoadAsync(Project);
        Assert.Equal(baseVersion + 1, after.Version);
        Assert.Equal(
            [.. before.Objects, new StoredObject(ObjectKind.FeatureView, $"view_{winner}", $"{{\"writer\":{winner}}}", Hash($"{{\"writer\":{winner}}}"), baseVersion + 1, baseVersion + 1, T2.AddSeconds(winner), T2.AddSeconds(winner))],
            after.Objects);
        var history = await Open().GetHistoryAsync(Project);
        Assert.Equal(baseVersion + 1, history.Count);
        AssertRecordsRequest(requests[winner], baseVersion + 1, history[0]);
    }

    [Fact]
    public async Task Projects_are_isolated()
    {
        await Open().ApplyAsync(Request(0, T1, Add(ObjectKind.Entity, "driver", DriverSpec)) with { Project = "alpha" });
        await Open().ApplyAsync(Request(0, T1, Add(ObjectKind.Entity, "driver", CustomerSpec)) with { Project = "beta" });
        await Open().ApplyAsync(Request(1, T2, Add(ObjectKind.Entity, "customer", CustomerSpec)) with { Project = "beta" });

        var store = Open();
        var alpha = await store.LoadAsync("alpha");
        Assert.Equal(1, alpha.Version);
        Assert.Equal([new StoredObject(ObjectKind.Entity, "driver", DriverSpec, Hash(DriverSpec), 1, 1, T1, T1)], alpha.Objects);
        Assert.Single(await store.GetHistoryAsync("alpha"));
        var beta = await store.LoadAsync("beta");
        Assert.Equal(2, beta.Version);
        Assert.Equal([("customer", CustomerSpec), ("driver", CustomerSpec)], beta.Objects.Select(o => (o.Name, o.Spec)));
        Assert.Equal(2, (await store.GetHistoryAsync("beta")).Count);

        // alpha's version is its own: beta being at 2 neither blocks nor admits an apply to alpha.
        Assert.Equal(2, await store.ApplyAsync(Request(1, T3) with { Project = "alpha" }));
        Assert.Equal(2, await store.GetVersionAsync("beta"));
    }

    [Fact]
    public async Task Initialize_is_idempotent_and_safe_to_run_concurrently()
    {
        var fresh = await CreateLocationAsync();
        var stores = Enumerable.Range(0, 8).Select(_ => Track(fresh())).ToArray();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var initializers = stores.Select(s => Task.Run(async () =>
        {
            await start.Task;
            await s.InitializeAsync();
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(initializers);

        await stores[0].ApplyAsync(Request(0, T1, Add(ObjectKind.Entity, "driver", DriverSpec)));
        await stores[1].InitializeAsync();
        await Track(fresh()).InitializeAsync();

        var snapshot = await Track(fresh()).LoadAsync(Project);
        Assert.Equal(1, snapshot.Version);
        Assert.Equal("driver", Assert.Single(snapshot.Objects).Name);
    }

    [Fact]
    public async Task Data_survives_disposing_and_reopening_the_store()
    {
        var create = _location!;
        await using (var first = create())
        {
            await first.ApplyAsync(Request(0, T1, Add(ObjectKind.Entity, "driver", DriverSpec)));
            await first.ApplyAsync(Request(1, T2, Update(ObjectKind.Entity, "driver", DriverSpec, CustomerSpec)));
        }

        await using var reopened = create();
        await reopened.InitializeAsync();
        var snapshot = await reopened.LoadAsync(Project);
        Assert.Equal(2, snapshot.Version);
        Assert.Equal([new StoredObject(ObjectKind.Entity, "driver", CustomerSpec, Hash(CustomerSpec), 1, 2, T1, T2)], snapshot.Objects);
        Assert.Equal([2L, 1L], (await reopened.GetHistoryAsync(Project)).Select(h => h.Version));
    }

    [Fact]
    public async Task Timestamps_come_back_in_utc_truncated_to_microseconds()
    {
        // 14:00 at +02:00 is 12:00 UTC; the 7th fractional digit (100 ns) is below Granary's precision.
        var local = new DateTimeOffset(2025, 3, 1, 14, 0, 0, TimeSpan.FromHours(2)).AddTicks(1_234_567);
        var expected = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1_234_560);

        await Open().ApplyAsync(Request(0, local, Add(ObjectKind.Entity, "driver", DriverSpec)));

        var stored = Assert.Single((await Open().LoadAsync(Project)).Objects);
        var entry = Assert.Single(await Open().GetHistoryAsync(Project));
        foreach (var at in new[] { stored.CreatedAt, stored.UpdatedAt, entry.AppliedAt })
        {
            Assert.Equal(TimeSpan.Zero, at.Offset);
            Assert.Equal(expected.UtcTicks, at.UtcTicks);
        }
    }

    [Fact]
    public async Task Unreachable_registry_fails_with_RegistryUnavailable_naming_where()
    {
        var (store, mustName) = CreateUnreachableStore();
        Track(store);

        var attempts = new Func<Task>[]
        {
            () => store.InitializeAsync(),
            () => store.GetVersionAsync(Project),
            () => store.LoadAsync(Project),
            () => store.GetHistoryAsync(Project),
            () => store.ApplyAsync(Request(0, T1)),
            () => store.SaveDatasetAsync(Dataset("train")),
            () => store.ListDatasetsAsync(Project),
            () => store.GetDatasetAsync(Project, "train"),
        };
        foreach (var attempt in attempts)
        {
            var error = await Assert.ThrowsAsync<GranaryException>(attempt);
            Assert.Equal(ErrorCodes.RegistryUnavailable, error.Code);
            foreach (var fragment in mustName)
            {
                Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Saved_datasets_come_back_with_every_field()
    {
        var full = Dataset("train") with
        {
            Features = ["driver_stats:trips", "driver_stats:rating", "customer:age"],
            FeatureService = "ranking",
            Entities = "SELECT driver_id, event_timestamp FROM rides WHERE city = 'Zürich'",
            EntitiesKind = "query",
            FullFeatureNames = true,
            FilterByCreatedTimestamp = false,
            RowCount = long.MaxValue,
            RegistryVersion = 42,
        };

        // An empty dataset: no features asked for by service, no rows, so no time range.
        var empty = new SavedDataset(Project, "empty", [], null, "/data/none.parquet", "file", false, true, null, null, 0, "/out/empty.parquet", 0, T2, AppliedBy);
        await Open().SaveDatasetAsync(full);
        await Open().SaveDatasetAsync(empty);

        AssertDataset(full, await Open().GetDatasetAsync(Project, "train"));
        AssertDataset(empty, await Open().GetDatasetAsync(Project, "empty"));
        var listed = await Open().ListDatasetsAsync(Project);
        Assert.Equal(2, listed.Count);
        AssertDataset(empty, listed[0]);
        AssertDataset(full, listed[1]);
    }

    [Fact]
    public async Task Saving_under_the_same_name_replaces_the_record()
    {
        await Open().SaveDatasetAsync(Dataset("train"));
        var replacement = Dataset("train") with
        {
            Features = ["driver_stats:rating"],
            FeatureService = null,
            StartTime = null,
            EndTime = null,
            RowCount = 7,
            Output = "/out/train-v2.parquet",
            RegistryVersion = 3,
            CreatedAt = T3,
            CreatedBy = "someone@else",
        };

        await Open().SaveDatasetAsync(replacement);

        AssertDataset(replacement, await Open().GetDatasetAsync(Project, "train"));
        AssertDataset(replacement, Assert.Single(await Open().ListDatasetsAsync(Project)));
    }

    [Fact]
    public async Task Saved_datasets_list_in_ordinal_name_order()
    {
        foreach (var name in new[] { "b", "a_2", "B", "a", "a_10" })
        {
            await Open().SaveDatasetAsync(Dataset(name));
        }

        Assert.Equal(["B", "a", "a_10", "a_2", "b"], (await Open().ListDatasetsAsync(Project)).Select(d => d.Name));
    }

    [Fact]
    public async Task Saved_datasets_are_isolated_between_projects()
    {
        var alpha = Dataset("train") with { Project = "alpha", Output = "/out/alpha.parquet" };
        var beta = Dataset("train") with { Project = "beta", Output = "/out/beta.parquet", RowCount = 5 };
        await Open().SaveDatasetAsync(alpha);
        await Open().SaveDatasetAsync(beta);
        await Open().SaveDatasetAsync(Dataset("only_beta") with { Project = "beta" });

        var store = Open();
        AssertDataset(alpha, Assert.Single(await store.ListDatasetsAsync("alpha")));
        AssertDataset(beta, await store.GetDatasetAsync("beta", "train"));
        Assert.Equal(["only_beta", "train"], (await store.ListDatasetsAsync("beta")).Select(d => d.Name));
        Assert.Null(await store.GetDatasetAsync("alpha", "only_beta"));
        Assert.Empty(await store.ListDatasetsAsync("gamma"));
    }

    [Fact]
    public async Task Getting_a_dataset_that_was_never_saved_returns_null()
    {
        await Open().SaveDatasetAsync(Dataset("train"));

        var store = Open();
        Assert.Null(await store.GetDatasetAsync(Project, "missing"));
        Assert.Null(await store.GetDatasetAsync(Project, "TRAIN"));
        Assert.Null(await store.GetDatasetAsync("never-saved", "train"));
    }

    [Fact]
    public async Task Saving_a_dataset_changes_neither_the_version_nor_the_history()
    {
        // A project with no applies stays at version 0 with no history: saving does not create the project.
        await Open().SaveDatasetAsync(Dataset("train") with { Project = "fresh" });
        Assert.Equal(0, await Open().GetVersionAsync("fresh"));
        Assert.Equal(0, (await Open().LoadAsync("fresh")).Version);
        Assert.Empty(await Open().GetHistoryAsync("fresh"));

        await Open().ApplyAsync(Request(0, T1, Add(ObjectKind.Entity, "driver", DriverSpec)));
        var before = await CaptureAsync();
        await Open().SaveDatasetAsync(Dataset("train"));
        await Open().SaveDatasetAsync(Dataset("train") with { RowCount = 1 });
        await AssertUnchangedAsync(before);

        // The next apply still expects the version the definitions were at.
        Assert.Equal(2, await Open().ApplyAsync(Request(1, T2)));
    }

    [Fact]
    public async Task Applies_leave_saved_datasets_in_place()
    {
        await Open().ApplyAsync(Request(0, T1, Add(ObjectKind.Entity, "driver", DriverSpec), Add(ObjectKind.FeatureView, "driver_stats", StatsSpec)));
        var dataset = Dataset("train") with { RegistryVersion = 1 };
        await Open().SaveDatasetAsync(dataset);

        // Removing every definition the dataset was built from still keeps the record of it.
        await Open().ApplyAsync(Request(1, T2, Update(ObjectKind.Entity, "driver", DriverSpec, CustomerSpec)));
        await Open().ApplyAsync(Request(2, T3, Remove(ObjectKind.FeatureView, "driver_stats", StatsSpec), Remove(ObjectKind.Entity, "driver", CustomerSpec)));

        var store = Open();
        Assert.Empty((await store.LoadAsync(Project)).Objects);
        AssertDataset(dataset, await store.GetDatasetAsync(Project, "train"));
        AssertDataset(dataset, Assert.Single(await store.ListDatasetsAsync(Project)));
    }

    [Fact]
    public async Task Saved_datasets_survive_reinitializing_and_reopening()
    {
        var create = _location!;
        await using (var first = create())
        {
            await first.SaveDatasetAsync(Dataset("train"));
        }

        await using var reopened = create();
        await reopened.InitializeAsync();
        AssertDataset(Dataset("train"), await reopened.GetDatasetAsync(Project, "train"));
    }

    [Fact]
    public async Task Saved_dataset_timestamps_come_back_in_utc_truncated_to_microseconds()
    {
        // Same instants as Timestamps_come_back_in_utc_truncated_to_microseconds, given at three offsets.
        var local = new DateTimeOffset(2025, 3, 1, 14, 0, 0, TimeSpan.FromHours(2)).AddTicks(1_234_567);
        var expected = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1_234_560);
        await Open().SaveDatasetAsync(Dataset("train") with
        {
            StartTime = local.ToOffset(TimeSpan.FromHours(-5)),
            EndTime = local.AddDays(1),
            CreatedAt = local.AddDays(2),
        });

        var stored = await Open().GetDatasetAsync(Project, "train");
        Assert.NotNull(stored);
        var times = new[] { stored.StartTime!.Value, stored.EndTime!.Value, stored.CreatedAt };
        Assert.Equal([expected.UtcTicks, expected.AddDays(1).UtcTicks, expected.AddDays(2).UtcTicks], times.Select(t => t.UtcTicks));
        Assert.All(times, t => Assert.Equal(TimeSpan.Zero, t.Offset));
    }

    /// <summary>A new store instance over this test's registry, disposed after the test.</summary>
    protected IRegistryStore Open() => Track(_location!());

    protected IRegistryStore Track(IRegistryStore store)
    {
        lock (_stores)
        {
            _stores.Add(store);
        }

        return store;
    }

    private const string DriverSpec = """{"join_keys":["driver_id"],"name":"driver"}""";
    private const string CustomerSpec = """{"join_keys":["customer_id"],"name":"customer"}""";
    private const string StatsSpec = """{"entities":["driver"],"name":"driver_stats","ttl":"1d"}""";
    private const string StatsSpecV2 = """{"entities":["driver"],"name":"driver_stats","ttl":"2d"}""";

    // Every timestamp already UTC at microsecond precision, so a faithful store returns exactly this.
    private static SavedDataset Dataset(string name) => new(
        Project,
        name,
        ["driver_stats:trips", "driver_stats:rating"],
        "ranking",
        "/data/entities.parquet",
        "file",
        false,
        true,
        T1,
        T2,
        1_000,
        $"/out/{name}.parquet",
        2,
        T3,
        AppliedBy);

    // Records compare lists by reference, so the features are compared by content and the rest by value.
    private static void AssertDataset(SavedDataset expected, SavedDataset? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Features, actual.Features);
        Assert.Equal(expected, actual with { Features = expected.Features });
        Assert.Equal(
            [expected.StartTime?.Offset, expected.EndTime?.Offset, expected.CreatedAt.Offset],
            [actual.StartTime?.Offset, actual.EndTime?.Offset, actual.CreatedAt.Offset]);
    }

    private static string Hash(string spec) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(spec)));

    private static ObjectChange Add(ObjectKind kind, string name, string spec) => new(kind, name, ChangeAction.Add, spec, Hash(spec), null);

    private static ObjectChange Update(ObjectKind kind, string name, string oldSpec, string newSpec) =>
        new(kind, name, ChangeAction.Update, newSpec, Hash(newSpec), Hash(oldSpec));

    private static ObjectChange Remove(ObjectKind kind, string name, string oldSpec) => new(kind, name, ChangeAction.Remove, null, null, Hash(oldSpec));

    private static ApplyRequest Request(long expectedVersion, DateTimeOffset at, params ObjectChange[] changes)
    {
        // Stands in for the repository's canonical JSON: distinct per apply, with an exact byte form to preserve.
        var definitions = $$"""{"applied_over":{{expectedVersion}},"objects":[{{string.Join(",", changes.Where(c => c.NewSpec is not null).Select(c => c.NewSpec))}}]}""";
        return new ApplyRequest(Project, expectedVersion, changes, definitions, AppliedBy, at);
    }

    private static void AssertRecordsRequest(ApplyRequest request, long version, ApplyRecord record)
    {
        Assert.Equal(request.Project, record.Project);
        Assert.Equal(version, record.Version);
        Assert.Equal(request.AppliedAt, record.AppliedAt);
        Assert.Equal(request.AppliedBy, record.AppliedBy);
        Assert.Equal(request.Definitions, record.Definitions);

        // History keeps kind, name, action and hashes; the specs live in the definitions.
        Assert.Equal(request.Changes.Select(c => c with { NewSpec = null }), record.Changes);
    }

    private async Task<(RegistrySnapshot Snapshot, IReadOnlyList<ApplyRecord> History)> CaptureAsync()
    {
        var store = Open();
        return (await store.LoadAsync(Project), await store.GetHistoryAsync(Project));
    }

    private async Task AssertUnchangedAsync((RegistrySnapshot Snapshot, IReadOnlyList<ApplyRecord> History) before)
    {
        var store = Open();
        var snapshot = await store.LoadAsync(Project);
        Assert.Equal(before.Snapshot.Version, snapshot.Version);
        Assert.Equal(before.Snapshot.Version, await store.GetVersionAsync(Project));
        Assert.Equal(before.Snapshot.Objects, snapshot.Objects);
        var history = await store.GetHistoryAsync(Project);
        Assert.Equal(before.History.Select(h => (h.Version, h.AppliedAt, h.Definitions)), history.Select(h => (h.Version, h.AppliedAt, h.Definitions)));
    }
}
