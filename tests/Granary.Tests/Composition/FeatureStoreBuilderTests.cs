using System.Diagnostics.Metrics;
using Granary.Core.Errors;
using Granary.Core.Providers;
using Granary.Online;
using Granary.Online.Diagnostics;
using Granary.Online.Embedded;
using Granary.OnlineServing;
using Granary.Registry.Configuration;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Composition;

public sealed class FeatureStoreBuilderTests
{
    private static readonly DateTimeOffset Written = new(2026, 11, 3, 0, 0, 0, TimeSpan.Zero);

    private static Dictionary<string, IReadOnlyList<object?>> OneRow() => new()
    {
        ["user_id"] = [1L],
        ["event_timestamp"] = [Written.ToString("O")],
        ["orders_7d"] = [5L],
        ["spend_7d"] = [50.0],
    };

    [Fact]
    public async Task A_builder_over_granary_yaml_composes_the_stores_it_names()
    {
        using var repo = SampleRepository.Create();

        await using var store = new FeatureStoreBuilder(repo.Root).UseAppliedBy("builder@test").Build();
        await store.ApplyAsync();

        Assert.Equal(("shop", repo.Root), (store.Project, store.RepositoryRoot));
        Assert.Equal(("duckdb", "embedded"), (store.OfflineEngineName, store.OnlineStoreName));
        Assert.Equal(Path.Combine(repo.Root, "data", "registry.db"), store.RegistryLocation);
        Assert.Equal("builder@test", Assert.Single(await store.GetHistoryAsync()).AppliedBy);
        Assert.Empty(store.ConfigurationWarnings);
    }

    [Fact]
    public async Task An_apply_is_recorded_at_the_time_of_the_builders_clock()
    {
        using var repo = SampleRepository.Create();
        var clock = new FakeTimeProvider(new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero));

        await using var store = new FeatureStoreBuilder(repo.Root).UseTimeProvider(clock).Build();
        await store.ApplyAsync();

        Assert.Equal(clock.GetUtcNow(), Assert.Single(await store.GetHistoryAsync()).AppliedAt);
    }

    [Fact]
    public async Task A_builder_over_a_configuration_made_in_code_uses_its_sections()
    {
        using var repo = SampleRepository.Create();
        var config = new RepositoryConfig
        {
            Project = "shop",
            RepositoryRoot = repo.Root,
            Registry = new StoreSection("sqlite", new Dictionary<string, string> { ["path"] = "state/registry.db" }),
            OnlineStore = new StoreSection("embedded", new Dictionary<string, string> { ["path"] = "state/online.db" }),
        };

        await using var store = new FeatureStoreBuilder(config).Build();
        await store.ApplyAsync();

        Assert.Equal(Path.Combine(repo.Root, "state", "registry.db"), store.RegistryLocation);
        Assert.True(File.Exists(store.RegistryLocation));
        Assert.Equal(Path.Combine(repo.Root, "state", "online.db"), Assert.IsType<EmbeddedOnlineStore>(Assert.IsType<TracedOnlineStore>(store.Online).Inner).FilePath);
    }

    [Fact]
    public void A_configuration_made_in_code_is_checked_as_a_file_is()
    {
        using var repo = SampleRepository.Create();
        var config = new RepositoryConfig
        {
            Project = "shop",
            RepositoryRoot = repo.Root,
            OnlineStore = new StoreSection("redis", new Dictionary<string, string> { ["conection"] = "localhost:6379" }),
        };

        var e = Assert.Throws<DefinitionException>(() => new FeatureStoreBuilder(config).Build());

        Assert.Contains(e.Diagnostics, d => d.Message.Contains("did you mean 'connection'?", StringComparison.Ordinal));
        Assert.Contains(e.Diagnostics, d => d.Message.Contains("needs 'connection'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Wrappers_apply_in_the_order_added_and_the_store_disposes_the_outermost()
    {
        using var repo = SampleRepository.Create();
        var log = new List<string>();

        var store = new FeatureStoreBuilder(repo.Root)
            .WrapOnlineStore(online => new RecordingOnlineStore(online, "inner", log))
            .WrapOnlineStore(online => new RecordingOnlineStore(online, "outer", log))
            .Build();
        var name = store.OnlineStoreName;
        await store.DisposeAsync();

        Assert.Equal("outer(inner(embedded))", name);
        Assert.Equal(["disposed outer", "disposed inner"], log);
    }

    [Fact]
    public async Task The_builders_clock_decides_whether_an_online_value_is_past_its_ttl()
    {
        using var repo = SampleRepository.Create();
        await using (var writer = new FeatureStoreBuilder(repo.Root).UseTimeProvider(new FakeTimeProvider(Written.AddHours(1))).Build())
        {
            await writer.ApplyAsync();
            await writer.WriteToOnlineStoreAsync("user_stats", OneRow());
        }

        async Task<FeatureStatus> StatusAtAsync(DateTimeOffset now)
        {
            await using var reader = new FeatureStoreBuilder(repo.Root).UseTimeProvider(new FakeTimeProvider(now)).Build();
            return (await reader.GetOnlineValueAsync("user_stats:orders_7d:1")).Status;
        }

        // user_stats has a ttl of 2 days.
        Assert.Equal(FeatureStatus.Present, await StatusAtAsync(Written.AddDays(1)));
        Assert.Equal(FeatureStatus.OutsideMaxAge, await StatusAtAsync(Written.AddDays(3)));
    }

    [Fact]
    public async Task A_provider_the_user_registers_is_chosen_by_its_type_and_gets_the_builders_logging_metrics_and_clock()
    {
        using var repo = SampleRepository.Create();
        repo.Write("granary.yaml", $"{SampleRepository.Config}\nonline_store:\n  type: memory\n  file: data/memory.db\n");
        var provider = new MemoryProvider();
        using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = meters.GetRequiredService<IMeterFactory>();
        var loggerFactory = new NullLoggerFactory();
        var clock = new FakeTimeProvider(Written);

        await using var store = new FeatureStoreBuilder(repo.Root)
            .AddOnlineStoreProvider(provider)
            .UseLoggerFactory(loggerFactory)
            .UseMeterFactory(meterFactory)
            .UseTimeProvider(clock)
            .Build();
        await store.ApplyAsync();
        await store.WriteToOnlineStoreAsync("user_stats", OneRow());

        Assert.Equal("memory(embedded)", store.OnlineStoreName);
        Assert.Equal(Path.Combine(repo.Root, "data", "memory.db"), provider.CreatedAt);
        var context = provider.Context!;
        Assert.Equal(("shop", repo.Root), (context.Project, context.RepositoryRoot));
        Assert.Same(loggerFactory, context.LoggerFactory);
        Assert.Same(meterFactory, context.MeterFactory);
        Assert.Same(clock, context.TimeProvider);
        Assert.Equal(5, (await store.GetOnlineValueAsync("user_stats:orders_7d:1")).Value.AsInt64());
    }

    [Fact]
    public void An_unknown_type_lists_the_registered_types_including_the_users()
    {
        using var repo = SampleRepository.Create();
        repo.Write("granary.yaml", $"{SampleRepository.Config}\nonline_store: {{type: memcached}}\n");

        var builtIn = Assert.Throws<DefinitionException>(() => new FeatureStoreBuilder(repo.Root).Build());
        var withUsers = Assert.Throws<DefinitionException>(() => new FeatureStoreBuilder(repo.Root).AddOnlineStoreProvider(new MemoryProvider()).Build());

        var unknown = Assert.Single(builtIn.Diagnostics);
        Assert.Equal(("granary.yaml", 3), (unknown.Location!.Value.File, unknown.Location.Value.Line));
        Assert.Equal("Unknown online_store type 'memcached'; expected embedded or redis.", unknown.Message);
        Assert.Contains("expected embedded, redis or memory.", Assert.Single(withUsers.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddGranary_composes_with_the_containers_clock_and_every_ConfigureGranary_step()
    {
        using var repo = SampleRepository.Create();
        var log = new List<string>();
        var clock = new FakeTimeProvider(Written);
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .ConfigureGranary((_, builder) => builder.WrapOnlineStore(online => new RecordingOnlineStore(online, "first", log)))
            .AddGranary(o => o.RepositoryPath = repo.Root)
            .ConfigureGranary((_, builder) => builder.WrapOnlineStore(online => new RecordingOnlineStore(online, "second", log)));
        using var provider = services.BuildServiceProvider();

        var store = provider.GetRequiredService<FeatureStore>();

        Assert.Equal("second(first(embedded))", store.OnlineStoreName);
        Assert.Same(clock, store.Settings.TimeProvider);
    }

    /// <summary>A store type of the user's own: an embedded store under another key name, wrapped so its name shows it was chosen.</summary>
    private sealed class MemoryProvider : StoreProvider<IOnlineStore, MemoryOptions>
    {
        public string? CreatedAt { get; private set; }

        public ProviderContext? Context { get; private set; }

        public override string Type => "memory";

        public override MemoryOptions ReadOptions(StoreOptionsReader reader) => new() { File = reader.Optional("file") ?? "data/memory.db" };

        public override IOnlineStore Create(MemoryOptions options, ProviderContext context)
        {
            Context = context;
            CreatedAt = context.ResolvePath(options.File);
            return new RecordingOnlineStore(new EmbeddedOnlineStore(CreatedAt), "memory", []);
        }
    }

    private sealed class MemoryOptions
    {
        public required string File { get; init; }
    }
}
