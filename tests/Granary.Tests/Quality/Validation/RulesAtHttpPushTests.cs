using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Granary.Tests.Server;

namespace Granary.Tests.Quality.Validation;

/// <summary><c>POST /push</c> against the real server: 422 <c>unprocessable</c> for a failing row, or with <c>allow_partial</c> the counts in the answer.</summary>
public sealed class RulesAtHttpPushTests
{
    private const string Body = """
        {"push_source_name": "scores_push", "df": {"user_id": [1, 2], "event_timestamp": ["2026-11-05T00:00:00Z", "2026-11-05T00:00:00Z"],
         "clicks": [1, 1], "impressions": [1111, 2222], "ctr": [0.5, 1.5], "country": ["US", "US"]}, "to": "online_and_offline"PARTIAL}
        """;

    [Fact]
    public async Task A_failing_row_is_answered_422_and_allow_partial_counts_what_was_dropped()
    {
        using var repo = RuleRepository.Create("range");
        await using (var store = FeatureStore.Open(repo.Root))
        {
            await store.ApplyAsync();
        }

        await using var server = await ServedRepository.StartAsync(repo.Root);
        using var client = new HttpClient { BaseAddress = server.HttpUrl };

        using var refused = await client.PostAsync("push", new StringContent(Body.Replace("PARTIAL", "", StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json"));
        var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        using var partial = await client.PostAsync("push", new StringContent(Body.Replace("PARTIAL", ", \"allow_partial\": true", StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json"));
        var answer = await partial.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal((HttpStatusCode)422, refused.StatusCode);
        Assert.Equal("unprocessable", error.GetProperty("error").GetString());
        Assert.Contains("feature view 'scores', feature 'ctr', rule 'range': 1 of 2 rows fail (e.g. df.ctr[1] = 1.5)", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, partial.StatusCode);
        Assert.Equal((1, 1), (answer.GetProperty("rows").GetInt32(), answer.GetProperty("rejected_rows").GetInt32()));
        var rule = Assert.Single(answer.GetProperty("validation").EnumerateArray().ToList());
        Assert.Equal(("scores", "ctr", "range", "error", 1, 2), (
            rule.GetProperty("feature_view").GetString(), rule.GetProperty("feature").GetString(), rule.GetProperty("rule").GetString(),
            rule.GetProperty("severity").GetString(), rule.GetProperty("failed").GetInt32(), rule.GetProperty("total").GetInt32()));
        Assert.Equal("row 1 (user_id=2): 1.5", rule.GetProperty("example").GetString());
        Assert.DoesNotContain("2222", RuleRepository.PushLog(repo), StringComparison.Ordinal);
    }
}
