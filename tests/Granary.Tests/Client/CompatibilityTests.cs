using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Granary.Client;

namespace Granary.Tests.Client;

/// <summary>
/// The compatibility policy of docs/client.md, held to: request bodies exactly as the first client version (0.1.0)
/// writes them, kept as fixtures in <c>Compatibility/</c>, still get their answer from the current server; and the
/// client reads an answer carrying fields and statuses it does not know (from a stub handler, not a server).
/// A fixture is never edited: a client version that writes another shape adds fixtures of its own.
/// </summary>
public sealed class CompatibilityTests(GrpcClientServerFixture server) : IClassFixture<GrpcClientServerFixture>
{
    [Fact]
    public async Task A_feature_list_request_as_the_first_client_version_wrote_it_gets_the_same_answer_today()
    {
        var (status, body) = await PostFixtureAsync("v0.1.0-get-online-features.json");

        Assert.Equal(HttpStatusCode.OK, status);
        var root = body.RootElement;
        Assert.Equal(["user_id", "profile__age", "profile__name", "account__balance"], root.GetProperty("metadata").GetProperty("feature_names").EnumerateArray().Select(n => n.GetString()));
        var results = root.GetProperty("results");
        Assert.Equal(31, results[1].GetProperty("values")[0].GetInt32());
        Assert.Equal("PRESENT", results[1].GetProperty("statuses")[0].GetString());
        Assert.Equal("NOT_FOUND", results[1].GetProperty("statuses")[1].GetString());
        Assert.Equal("Ann ✓", results[2].GetProperty("values")[0].GetString());
        Assert.Equal(120.5, results[3].GetProperty("values")[0].GetDouble());
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1_234_560), DateTimeOffset.Parse(results[3].GetProperty("event_timestamps")[0].GetString()!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_feature_service_request_as_the_first_client_version_wrote_it_gets_the_same_answer_today()
    {
        var (status, body) = await PostFixtureAsync("v0.1.0-get-online-features-service.json");

        Assert.Equal(HttpStatusCode.OK, status);
        var names = body.RootElement.GetProperty("metadata").GetProperty("feature_names").EnumerateArray().Select(n => n.GetString()).ToArray();
        Assert.Equal("user_id", names[0]);
        Assert.Equal(["account__balance", "profile__name", "profile__visits"], names.Skip(1).Order(StringComparer.Ordinal));
        var balance = body.RootElement.GetProperty("results")[Array.IndexOf(names, "account__balance")];
        Assert.Equal(-0.000001, balance.GetProperty("values")[0].GetDouble());
    }

    [Fact]
    public async Task The_client_reads_an_answer_with_fields_and_statuses_it_does_not_know()
    {
        // Not a server: a stub handler answering what a newer server might, with fields added at every level.
        const string NewerAnswer = """
            {
              "metadata": {"feature_names": ["user_id", "v__f", "v__g"], "feature_view_metadata": [{"name": "v", "version": 3}], "served_by": "granary 9.0"},
              "results": [
                {"values": [7], "statuses": ["PRESENT"], "event_timestamps": ["1970-01-01T00:00:00Z"], "source": {"nested": [1, {"deep": true}]}},
                {"values": [2.5], "statuses": ["PRESENT"], "event_timestamps": ["2026-11-01T00:00:00Z"], "confidence": 0.9},
                {"values": [null], "statuses": ["PENDING_REFRESH"], "event_timestamps": ["2026-11-01T00:00:00Z"]}
              ],
              "status": "ok",
              "warnings": []
            }
            """;
        using var handler = new StubAnswerHandler(NewerAnswer);
        using var client = new GranaryClient(new GranaryClientOptions { BaseAddress = new Uri("http://stub.invalid"), HttpMessageHandler = handler, RetryCount = 0 });

        var features = await client.GetOnlineFeaturesAsync(Granary.Client.OnlineFeaturesRequest.ForFeatures("v:f", "v:g").WithEntityColumn("user_id", [7L]));

        Assert.Equal(2.5, features.GetDouble(0, "v:f"));
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), features.GetEventTimestamp(0, "v:f"));
        Assert.Equal(FeatureStatus.Unknown, features.GetStatus(0, "v:g"));
        Assert.Null(features.GetValue(0, "v:g"));
    }

    private async Task<(HttpStatusCode Status, JsonDocument Body)> PostFixtureAsync(string name)
    {
        var bytes = await File.ReadAllBytesAsync(FixturePath(name));
        using var http = new HttpClient { BaseAddress = server.Server.HttpUrl };
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(new Uri("get-online-features", UriKind.Relative), content);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()));
    }

    // Beside this file in the source tree, so the fixtures are the files under review, not copies in the output folder.
    private static string FixturePath(string name, [CallerFilePath] string here = "") =>
        Path.Combine(Path.GetDirectoryName(here)!, "Compatibility", name);

    /// <summary>A stub in place of the network: every request gets <paramref name="json"/> with 200.</summary>
    private sealed class StubAnswerHandler(string json) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
    }
}
