using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Sources;
using Granary.Historical;
using Granary.Offline;
using Granary.Offline.DuckDb;
using Granary.Offline.Retrieval;
using Granary.OnlineServing;
using Granary.Push;
using Granary.Resolution;
using static Granary.Tests.Resolution.ResolutionFixtures;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Resolution;

/// <summary>
/// One resolution for every path: a push source leads push, materialization, historical retrieval, online plans and
/// validation to the same batch source, and a broken one fails each of them with the same error.
/// </summary>
public sealed class ResolutionTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UnixEpoch;
    private static readonly DateTimeOffset End = Start.AddDays(1);

    [Fact]
    public void A_push_source_leads_every_path_to_the_same_batch_source()
    {
        var registry = RegistryOf(PushSources());
        var batch = registry.Definitions.FindSource("stats_file");

        var push = RegistryResolution.Of(registry).PushSource("stats_push").Batch;
        var materialize = RegistryResolution.Of(registry).View("user_stats").LatestValues(Start, End, "/repo").View.Source;
        var historical = FeatureResolver.Resolve(Historical("user_stats:orders"), registry).Views.Single().Source;
        var online = OnlinePlans.For(registry).Views["user_stats"].Source;
        var validation = BatchSources.OfView(registry.Definitions, registry.Definitions.FindFeatureView("user_stats")!, out _);

        Assert.All(new object?[] { push, materialize, historical, online, validation }, source => Assert.Same(batch, source));
    }

    [Fact]
    public async Task A_broken_push_source_fails_every_path_with_the_same_error()
    {
        var registry = RegistryOf(PushSources());
        var pusher = new Pusher(new DuckDbOfflineEngine(), new CountingOnlineStore(), "/repo", new FakeTimeProvider(End));
        var columns = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [1L], ["ts"] = [End], ["orders"] = [3L] };

        var errors = new List<GranaryException>
        {
            await Assert.ThrowsAsync<GranaryException>(() => pusher.PushAsync(new PushRequest { PushSourceName = "broken_push", Columns = columns }, registry, default)),
            await Assert.ThrowsAsync<GranaryException>(() => pusher.WriteToOnlineAsync("broken_stats", columns, registry, default)),
            Assert.Throws<GranaryException>(() => RegistryResolution.Of(registry).View("broken_stats").LatestValues(Start, End, "/repo")),
            Assert.Throws<GranaryException>(() => FeatureResolver.Resolve(Historical("broken_stats:orders"), registry)),
        };

        Assert.All(errors, e => Assert.Equal(ErrorCodes.UnknownReference, e.Code));
        Assert.All(errors, e => Assert.Equal("Push source 'broken_push' names batch_source 'nowhere', which is not in the registry.", e.Message));
        BatchSources.OfView(registry.Definitions, registry.Definitions.FindFeatureView("broken_stats")!, out var problem);
        Assert.Equal(errors[0].Message, problem);
    }

    [Fact]
    public void A_view_whose_source_is_broken_is_still_read_online()
    {
        var plans = OnlinePlans.For(RegistryOf(PushSources()));

        var query = plans.Queries.Get(OnlineQueryShape.Of(new OnlineFeaturesRequest
        {
            Features = ["broken_stats:orders", "user_stats:orders"],
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [1L] },
            FullFeatureNames = true,
        }));

        Assert.Equal(["user_id", "broken_stats__orders", "user_stats__orders"], query.Names);
    }

    [Fact]
    public void Every_path_shares_one_resolution_per_registry_version()
    {
        var registry = RegistryOf(PushSources());

        Assert.Same(RegistryResolution.Of(registry), OnlinePlans.For(registry).Resolution);
        Assert.Same(RegistryResolution.Of(registry).View("user_stats"), RegistryResolution.Of(registry).PushSource("stats_push").Views.Single());
        Assert.NotSame(RegistryResolution.Of(registry), RegistryResolution.Of(RegistryOf(PushSources())));
    }

    [Fact]
    public async Task An_engine_without_a_push_log_refuses_an_offline_push_before_anything_is_written()
    {
        var online = new CountingOnlineStore();
        var pusher = new Pusher(new BareEngine(), online, "/repo", new FakeTimeProvider(End));
        var columns = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [1L], ["ts"] = [End], ["orders"] = [3L] };

        var error = await Assert.ThrowsAsync<GranaryException>(() =>
            pusher.PushAsync(new PushRequest { PushSourceName = "stats_push", Columns = columns, To = PushTarget.OnlineAndOffline }, RegistryOf(PushSources()), default));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.StartsWith("The bare offline engine cannot log pushed rows to batch source 'stats_file'.", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, online.Writes);
        Assert.Equal(1, (await pusher.PushAsync(new PushRequest { PushSourceName = "stats_push", Columns = columns, To = PushTarget.Online }, RegistryOf(PushSources()), default)).OnlineWritten);
    }

    [Fact]
    public void Asking_an_engine_for_a_capability_it_lacks_names_the_engine_and_the_action()
    {
        IOfflineEngine engine = new BareEngine();

        var error = Assert.Throws<GranaryException>(() => engine.Require<IPointInTimeReader>("build point-in-time training data"));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.StartsWith("The bare offline engine cannot build point-in-time training data.", error.Message, StringComparison.Ordinal);
        Assert.Null(engine.GetCapability<ILatestValuesReader>());
        Assert.NotNull(((IOfflineEngine)new DuckDbOfflineEngine()).GetCapability<IPushLog>());
    }

    private static HistoricalFeaturesRequest Historical(string feature) =>
        new() { Entities = EntityTable.FromRelation("entities"), Features = [feature] };
}
