using System.Net;
using System.Text;
using System.Text.Json;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Experiments;
using Granary.OnlineServing;
using Granary.Registry.Catalog;
using Granary.Registry.Serialization;
using Granary.Registry.Storage;
using Granary.Server;
using Granary.Tests.Infrastructure;
using Granary.Tests.Server;
using Granary.Tests.Server.Grpc;
using Grpc.Net.Client;
using Granary.Client;
using ClientRequest = Granary.Client.OnlineFeaturesRequest;
using FeastServing = Feast.Serving;
using FeastTypes = Feast.Types;
using OnlineFeaturesRequest = Granary.OnlineServing.OnlineFeaturesRequest;
using V1 = Granary.Contracts.Grpc.V1;

namespace Granary.Tests.Experiments;

/// <summary>
/// An experiment served end to end: view <c>stats</c> has 1.0.0 (reading <c>events_v1</c>) and a staged 2.0.0 (the same
/// view over <c>events_v2</c>, whose scores are ten times larger), both materialized; experiment <c>score_test</c>
/// serves v1 to <c>control</c> and v2 to <c>treatment</c>. Each unit reads its variant's values, in process, over HTTP
/// and over both gRPC services, and every answer names the variant.
/// </summary>
public sealed class ExperimentServingTests : IAsyncLifetime
{
    private const string Project = "experiments";

    private static readonly DateTimeOffset Now = new(2026, 11, 3, 0, 0, 0, TimeSpan.Zero);

    private readonly TempRepository _repo = new();
    private GranaryServer _server = null!;
    private HttpClient _client = null!;
    private Experiment _experiment = null!;

    public async Task InitializeAsync()
    {
        _repo.Write("granary.yaml", $"project: {Project}\nregistry: data/registry.db\nonline_store: {{type: embedded}}\n")
            .Write("data/events_v1.csv", "user_id,event_timestamp,score\n1,2026-11-01T00:00:00Z,3\n2,2026-11-01T00:00:00Z,8\n")
            .Write("data/events_v2.csv", "user_id,event_timestamp,score\n1,2026-11-01T00:00:00Z,30\n2,2026-11-01T00:00:00Z,80\n")
            .Write("features.yaml", """
                entities:
                  - {name: user, join_keys: [user_id], value_type: int64}
                sources:
                  - {name: events_v1, type: file, path: data/events_v1.csv, timestamp_field: event_timestamp}
                  - {name: events_v2, type: file, path: data/events_v2.csv, timestamp_field: event_timestamp}
                feature_views:
                  - {name: stats, entities: [user], ttl: 0, source: events_v1, schema: [{name: score, dtype: int64}]}
                feature_services:
                  - {name: scoring, features: [stats:score]}
                """);
        await using (var store = FeatureStore.Open(_repo.Root))
        {
            await store.ApplyAsync();
            var contents = await store.Registry.GetAsync();
            var current = (FeatureView)CanonicalJsonReader.Read(ObjectKind.FeatureView, contents.Find(ObjectKind.FeatureView, "stats")!.Spec);
            await using (var registry = new SqliteRegistryStore(Path.Combine(_repo.Root, "data", "registry.db")))
            {
                await registry.InitializeAsync();
                var v1 = new CatalogVersion(Project, "stats", SemanticVersion.Initial) { DefinitionSnapshot = CanonicalJson.Serialize(current) };
                if (!await registry.CreateCatalogEntryAsync(new CatalogEntry(Project, "stats", CatalogEntryKind.View) { Defined = true }, v1))
                {
                    await registry.AddVersionAsync(v1);
                }

                var v2 = current with { Source = "events_v2" };
                await registry.AddVersionAsync(new CatalogVersion(Project, "stats", new SemanticVersion(2, 0, 0)) { DefinitionSnapshot = CanonicalJson.Serialize(v2), Promoted = false });
            }

            await store.Registry.RefreshAsync();
            _repo.Write("experiments.yaml", """
                experiments:
                  - name: score_test
                    feature_view: stats
                    variants:
                      - {name: control, version: v1, share: 0.5}
                      - {name: treatment, version: v2, share: 0.5}
                """);
            await store.ApplyAsync();
            await store.MaterializeAsync(DateTimeOffset.UnixEpoch, Now, ["stats", "stats@v2"]);
            _experiment = (await store.GetRegistryAsync()).Definitions.FindExperiment("score_test")!;
        }

        _server = await ServedRepository.StartAsync(_repo.Root, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now));
        _client = new HttpClient { BaseAddress = _server.HttpUrl, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        _repo.Dispose();
    }

    /// <summary>A unit the experiment assigns <paramref name="variant"/>, found by trying units in turn.</summary>
    private string UnitIn(string variant)
    {
        for (var i = 0; ; i++)
        {
            var unit = $"unit-{i}";
            if (ExperimentAssignment.Assign(_experiment, unit).Name == variant)
            {
                return unit;
            }
        }
    }

    private static long ExpectedScore(string variant, int user) => (variant, user) switch
    {
        ("control", 1) => 3,
        ("control", _) => 8,
        (_, 1) => 30,
        _ => 80,
    };

    [Theory]
    [InlineData("control", false)]
    [InlineData("treatment", false)]
    [InlineData("treatment", true)]
    public async Task The_csharp_api_serves_the_variants_version_and_names_the_variant(string variant, bool viaService)
    {
        await using var store = FeatureStore.Open(_repo.Root);
        var unit = UnitIn(variant);

        var response = await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Features = viaService ? [] : ["stats:score"],
            FeatureService = viaService ? "scoring" : null,
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [1L, 2L] },
            FullFeatureNames = true,
            Experiment = "score_test",
            UnitId = unit,
        });

        Assert.Equal(new ServedExperiment("score_test", variant), response.Experiment);
        Assert.Equal(["user_id", "stats__score"], response.FeatureNames);
        var column = response["stats__score"];
        Assert.Equal([ExpectedScore(variant, 1), ExpectedScore(variant, 2)], [column.Values[0].AsInt64(), column.Values[1].AsInt64()]);
    }

    [Fact]
    public async Task The_csharp_api_refuses_an_unknown_experiment_and_a_missing_unit()
    {
        await using var store = FeatureStore.Open(_repo.Root);
        OnlineFeaturesRequest Request(string experiment, string? unit) => new()
        {
            Features = ["stats:score"],
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [1L] },
            Experiment = experiment,
            UnitId = unit,
        };

        var unknown = await Assert.ThrowsAsync<GranaryException>(() => store.GetOnlineFeaturesAsync(Request("score_tset", "u1")));
        var missing = await Assert.ThrowsAsync<GranaryException>(() => store.GetOnlineFeaturesAsync(Request("score_test", null)));

        Assert.Equal(ErrorCodes.NotFound, unknown.Code);
        Assert.Contains("score_test", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.InvalidArgument, missing.Code);
        Assert.StartsWith("unit_id", missing.Message, StringComparison.Ordinal);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _client.PostAsync("get-online-features", content);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Theory]
    [InlineData("control")]
    [InlineData("treatment")]
    public async Task Http_answers_carry_metadata_experiment_and_the_variants_values(string variant)
    {
        var unit = UnitIn(variant);

        var (status, body) = await PostAsync($$"""{"features": ["stats:score"], "entities": {"user_id": [1, 2]}, "experiment": "score_test", "unit_id": "{{unit}}"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        var metadata = body.GetProperty("metadata");
        var experiment = metadata.GetProperty("experiment");
        Assert.Equal(["name", "variant"], experiment.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("score_test", variant), (experiment.GetProperty("name").GetString(), experiment.GetProperty("variant").GetString()));
        Assert.Equal(["user_id", "score"], metadata.GetProperty("feature_names").EnumerateArray().Select(e => e.GetString()));
        var values = body.GetProperty("results")[1].GetProperty("values");
        Assert.Equal([ExpectedScore(variant, 1), ExpectedScore(variant, 2)], [values[0].GetInt64(), values[1].GetInt64()]);
    }

    [Fact]
    public async Task Every_served_read_of_an_experiment_is_logged_and_the_report_counts_reads_and_units_per_variant_in_its_period()
    {
        var start = Now.AddDays(1);
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(start);
        var first = new Dictionary<string, (long Reads, HashSet<string> Units)>();
        var second = new Dictionary<string, (long Reads, HashSet<string> Units)>();
        await using (var store = new FeatureStoreBuilder(_repo.Root).UseTimeProvider(time).Build())
        {
            for (var i = 0; i < 600; i++)
            {
                if (i == 400)
                {
                    time.Advance(TimeSpan.FromHours(1));
                }

                var unit = $"unit-{i % 300}";
                var response = await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
                {
                    Features = ["stats:score"],
                    Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [1L] },
                    Experiment = "score_test",
                    UnitId = unit,
                });
                var tally = i < 400 ? first : second;
                var variant = response.Experiment!.Variant;
                var (reads, units) = tally.GetValueOrDefault(variant, (0, new HashSet<string>()));
                units.Add(unit);
                tally[variant] = (reads + 1, units);
            }

            // A refused read exposed nobody.
            await Assert.ThrowsAsync<GranaryException>(() => store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
            {
                Features = ["stats:nope"],
                Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [1L] },
                Experiment = "score_test",
                UnitId = "unit-refused",
            }));
        }

        await using var reader = new FeatureStoreBuilder(_repo.Root).UseTimeProvider(time).Build();
        var whole = await reader.GetExperimentReportAsync("score_test", start, start.AddHours(2));
        var later = await reader.GetExperimentReportAsync("score_test", start.AddHours(1), start.AddHours(2));
        var cli = await CliRunner.RunAsync("experiments", "report", "score_test", "--start", start.ToString("O"), "--end", start.AddHours(2).ToString("O"), "--format", "json", "--repo", _repo.Root);

        static void Check(ExperimentReport report, params Dictionary<string, (long Reads, HashSet<string> Units)>[] periods)
        {
            Assert.Equal(["control", "treatment"], report.Variants.Select(v => v.Variant));
            var allUnits = new HashSet<string>();
            foreach (var variant in report.Variants)
            {
                var units = new HashSet<string>(periods.SelectMany(p => p.TryGetValue(variant.Variant, out var t) ? t.Units : []));
                allUnits.UnionWith(units);
                Assert.Equal(periods.Sum(p => p.TryGetValue(variant.Variant, out var t) ? t.Reads : 0), variant.Exposures);
                Assert.Equal(units.Count, variant.Units);
                Assert.Equal(0.5, variant.DeclaredShare);
            }

            Assert.Equal(allUnits.Count, report.Units);
            Assert.Equal(0, report.UnitsInSeveralVariants);
            Assert.InRange(report.SampleRatioPValue!.Value, 0.0, 1.0);
        }

        Check(whole, first, second);
        Check(later, second);
        Assert.Equal(600, whole.Variants.Sum(v => v.Exposures));
        Assert.Equal(0, cli.Exit);
        var json = JsonDocument.Parse(cli.Out).RootElement;
        Assert.Equal(whole.Units, json.GetProperty("units").GetInt64());
        Assert.Equal(whole.Variants.Select(v => v.Exposures), json.GetProperty("variants").EnumerateArray().Select(v => v.GetProperty("exposures").GetInt64()));
    }

    [Fact]
    public async Task The_registry_api_lists_and_describes_experiments_and_names_an_unknown_one()
    {
        foreach (var prefix in new[] { "", "api/v1/" })
        {
            var list = JsonDocument.Parse(await _client.GetStringAsync(new Uri($"{prefix}experiments", UriKind.Relative))).RootElement;
            var one = JsonDocument.Parse(await _client.GetStringAsync(new Uri($"{prefix}experiments/score_test", UriKind.Relative))).RootElement;
            using var unknown = await _client.GetAsync(new Uri($"{prefix}experiments/nope", UriKind.Relative));

            Assert.Equal(["score_test"], list.GetProperty("experiments").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
            var spec = one.GetProperty("spec");
            Assert.Equal("stats", spec.GetProperty("feature_view").GetString());
            Assert.Equal(["control", "treatment"], spec.GetProperty("variants").EnumerateArray().Select(v => v.GetProperty("name").GetString()));
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Contains("'nope'", JsonDocument.Parse(await unknown.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Http_refuses_an_unknown_experiment_with_404_and_a_missing_unit_id_with_400_naming_it()
    {
        var (unknownStatus, unknown) = await PostAsync("""{"features": ["stats:score"], "entities": {"user_id": [1]}, "experiment": "nope", "unit_id": "u1"}""");
        var (missingStatus, missing) = await PostAsync("""{"features": ["stats:score"], "entities": {"user_id": [1]}, "experiment": "score_test"}""");
        var (plainStatus, plain) = await PostAsync("""{"features": ["stats:score"], "entities": {"user_id": [1]}}""");

        Assert.Equal(HttpStatusCode.NotFound, unknownStatus);
        Assert.Equal("not_found", unknown.GetProperty("error").GetString());
        Assert.Contains("'nope'", unknown.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, missingStatus);
        Assert.Contains("unit_id", missing.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, plainStatus);
        Assert.False(plain.GetProperty("metadata").TryGetProperty("experiment", out _));
    }

    [Fact]
    public async Task Granarys_grpc_service_takes_the_experiment_in_metadata_and_answers_the_variant()
    {
        var unit = UnitIn("treatment");
        using var channel = GrpcChannel.ForAddress(_server.GrpcUrl!);
        var client = new FeatureServingClient(channel.CreateCallInvoker());
        var request = new V1.GetOnlineFeaturesRequest { Features = { "stats:score" } };
        request.Entities["user_id"] = Wire.Column(Wire.Int64(1));

        using var call = client.GetOnlineFeaturesAsync(request, new Grpc.Core.Metadata { { "granary-experiment", "score_test" }, { "granary-unit-id", unit } });
        var response = await call;
        var headers = await call.ResponseHeadersAsync;

        Assert.Equal(("score_test", "treatment"), (response.Experiment.Name, response.Experiment.Variant));
        Assert.Equal("treatment", headers.GetValue("granary-experiment-variant"));
        Assert.Equal(30, response.Results[1].Values[0].Int64Val);
    }

    [Fact]
    public async Task Feasts_grpc_service_takes_the_experiment_in_metadata_and_answers_the_variant_in_headers()
    {
        var unit = UnitIn("control");
        using var channel = GrpcChannel.ForAddress(_server.GrpcUrl!);
        var feast = new FeastServing.ServingService.ServingServiceClient(channel);
        var request = new FeastServing.GetOnlineFeaturesRequest { Features = new FeastServing.FeatureList { Val = { "stats:score" } } };
        request.Entities["user_id"] = new FeastTypes.RepeatedValue { Val = { new FeastTypes.Value { Int64Val = 1 } } };

        using var call = feast.GetOnlineFeaturesAsync(request, new Grpc.Core.Metadata { { "granary-experiment", "score_test" }, { "granary-unit-id", unit } });
        var response = await call;
        var headers = await call.ResponseHeadersAsync;

        Assert.Equal("score_test", headers.GetValue("granary-experiment"));
        Assert.Equal("control", headers.GetValue("granary-experiment-variant"));
        Assert.Equal(3, response.Results[1].Values[0].Int64Val);
    }

    [Theory]
    [InlineData(GranaryTransport.Http)]
    [InlineData(GranaryTransport.Grpc)]
    public async Task The_client_reads_each_units_variant_over_both_transports_bypassing_its_cache(GranaryTransport transport)
    {
        using var client = new GranaryClient(new GranaryClientOptions
        {
            BaseAddress = _server.HttpUrl,
            GrpcAddress = _server.GrpcUrl,
            Transport = transport,
            RetryCount = 0,
            CacheSize = 100,
            CacheTtl = TimeSpan.FromMinutes(10),
        });

        var treatment = await client.GetOnlineFeaturesAsync(ClientRequest.ForFeatures("stats:score").AddEntity(("user_id", 1L)).InExperiment("score_test", UnitIn("treatment")));
        var control = await client.GetOnlineFeaturesAsync(ClientRequest.ForFeatures("stats:score").AddEntity(("user_id", 1L)).InExperiment("score_test", UnitIn("control")));
        var plain = await client.GetOnlineFeaturesAsync(ClientRequest.ForFeatures("stats:score").AddEntity(("user_id", 1L)));

        Assert.Equal(((string?)"treatment", (long?)30L), (treatment.ExperimentVariant, treatment.GetInt64(0, "stats:score")));
        Assert.Equal(((string?)"control", (long?)3L), (control.ExperimentVariant, control.GetInt64(0, "stats:score")));
        Assert.Equal(((string?)null, (long?)3L), (plain.ExperimentVariant, plain.GetInt64(0, "stats:score")));
    }
}
