using System.Net;
using System.Text;
using System.Text.Json;
using Feast.Serving;
using Feast.Types;
using Granary.Core.Model;
using Granary.Registry.Catalog;
using Granary.Registry.Serialization;
using Granary.Registry.Storage;
using Granary.Server;
using Granary.Tests.Infrastructure;
using Granary.Tests.Server;
using Grpc.Net.Client;

namespace Granary.Tests.Governance.Serving;

/// <summary>
/// Versioned references and lifecycle refusals over the server's wires: HTTP <c>/get-online-features</c> and Feast's
/// gRPC <c>ServingService</c>, against a registry whose view <c>stats</c> has versions 1.0.0 and a staged 2.0.0
/// (adding <c>bonus</c>), materialized both, with <c>stats:old</c> archived.
/// </summary>
public sealed class VersionedServerTests : IAsyncLifetime
{
    private const string Events = """
        user_id,event_timestamp,created,score,bonus,old
        1,2026-11-01T00:00:00Z,2026-11-01T00:05:00Z,3,10,1
        """;

    private static readonly DateTimeOffset Now = new(2026, 11, 3, 0, 0, 0, TimeSpan.Zero);

    private readonly TempRepository _repo = new();
    private GranaryServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        const string project = "versioned";
        _repo.Write("granary.yaml", $"project: {project}\nregistry: data/registry.db\nonline_store: {{type: embedded}}\n")
            .Write("data/events.csv", Events)
            .Write("features.yaml", VersionedServingTests.View("{name: score, dtype: int64}", "{name: old, dtype: int64}"));
        await using (var store = FeatureStore.Open(_repo.Root))
        {
            await store.ApplyAsync();
            var contents = await store.Registry.GetAsync();
            var current = (FeatureView)CanonicalJsonReader.Read(ObjectKind.FeatureView, contents.Find(ObjectKind.FeatureView, "stats")!.Spec);
            var staged = current with { Schema = [.. current.Schema, new Field("bonus", FeatureType.Int64)] };
            await using (var registry = new SqliteRegistryStore(Path.Combine(_repo.Root, "data", "registry.db")))
            {
                await registry.InitializeAsync();
                var v1 = new CatalogVersion(project, "stats", SemanticVersion.Initial) { DefinitionSnapshot = CanonicalJson.Serialize(current) };
                if (!await registry.CreateCatalogEntryAsync(new CatalogEntry(project, "stats", CatalogEntryKind.View) { Defined = true }, v1))
                {
                    await registry.AddVersionAsync(v1);
                }

                await registry.AddVersionAsync(new CatalogVersion(project, "stats", new SemanticVersion(2, 0, 0)) { DefinitionSnapshot = CanonicalJson.Serialize(staged), Promoted = false });
                var old = new CatalogEntry(project, "stats:old", CatalogEntryKind.Feature) { Status = LifecycleStatus.Archived };
                if (!await registry.CreateCatalogEntryAsync(old, new CatalogVersion(project, "stats:old", SemanticVersion.Initial)))
                {
                    var existing = await registry.GetCatalogEntryAsync(project, "stats:old");
                    await registry.UpdateCatalogEntryAsync(existing! with { Status = LifecycleStatus.Archived });
                }
            }

            await store.Registry.RefreshAsync();
            await store.MaterializeAsync(DateTimeOffset.UnixEpoch, Now, ["stats", "stats@v2"]);
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

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string json, string? model = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "get-online-features") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (model is not null)
        {
            request.Headers.Add("X-Granary-Model", model);
        }

        using var response = await _client.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task Http_serves_a_pinned_staged_version_with_Feasts_column_names()
    {
        var (status, body) = await PostAsync("""{"features": ["stats@v2:bonus", "stats:score"], "entities": {"user_id": [1]}, "full_feature_names": true}""", model: "ranker");

        Assert.Equal(HttpStatusCode.OK, status);
        var names = body.GetProperty("metadata").GetProperty("feature_names").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(["user_id", "stats@v2__bonus", "stats__score"], names);
        var results = body.GetProperty("results");
        Assert.Equal(10, results[1].GetProperty("values")[0].GetInt64());
        Assert.Equal(3, results[2].GetProperty("values")[0].GetInt64());
    }

    [Fact]
    public async Task Http_refuses_an_archived_feature_with_404_and_the_error_body()
    {
        var (status, body) = await PostAsync("""{"features": ["stats:old"], "entities": {"user_id": [1]}}""");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("not_found", body.GetProperty("error").GetString());
        Assert.Contains("archived", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_refuses_an_unknown_version_with_404_naming_the_versions()
    {
        var (status, body) = await PostAsync("""{"features": ["stats@v9:score"], "entities": {"user_id": [1]}}""");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("2.0.0, 1.0.0", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_feast_grpc_client_reads_a_version_qualified_reference()
    {
        using var channel = GrpcChannel.ForAddress(_server.GrpcUrl!);
        var feast = new ServingService.ServingServiceClient(channel);
        var request = new GetOnlineFeaturesRequest { Features = new FeatureList { Val = { "stats@v2:bonus", "stats@1.0.0:score" } }, FullFeatureNames = true };
        request.Entities["user_id"] = new RepeatedValue { Val = { new Value { Int64Val = 1 } } };

        var response = await feast.GetOnlineFeaturesAsync(request, new Grpc.Core.Metadata { { "x-granary-model", "ranker" } });

        Assert.Equal(["user_id", "stats@v2__bonus", "stats@1.0.0__score"], response.Metadata.FeatureNames.Val);
        Assert.Equal(10, response.Results[1].Values[0].Int64Val);
        Assert.Equal(3, response.Results[2].Values[0].Int64Val);
    }
}
