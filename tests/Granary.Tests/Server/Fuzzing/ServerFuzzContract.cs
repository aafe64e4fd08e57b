using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Granary.Tests.Server.Http;
using Xunit.Abstractions;

namespace Granary.Tests.Server.Fuzzing;

/// <summary>
/// Sends malformed and borderline requests (<see cref="MalformedRequests"/>) to every endpoint of a real server over
/// several connections at once, and holds the server to four promises: no 5xx, every request gets a whole answer, a
/// refusal is Granary's <c>{"error", "detail"}</c> body, and nothing of a refused write reaches the online store.
/// Afterwards the server must still answer health checks and serve a fresh push. The number of requests is
/// <c>GRANARY_FUZZ_REQUESTS</c> (a short run by default; docs/robustness.md records the long one) and the seed
/// <c>GRANARY_FUZZ_SEED</c> (fixed unless given; <c>random</c> for a new one), printed on failure so a run can be repeated.
/// </summary>
public abstract class ServerFuzzContract(ServedRepository served, ITestOutputHelper output)
{
    private const int Connections = 4;
    private const long IdsPerConnection = 100_000_000;
    private const long FirstWrittenId = 70_000_000;

    private static int Requests => int.TryParse(Environment.GetEnvironmentVariable("GRANARY_FUZZ_REQUESTS"), out var n) ? n : 3_000;

    // A fixed seed by default, so that ./test.sh sends the same requests every time (the first of those the long run
    // sends); "random" takes a new one, and any number repeats a run.
    private static int Seed => Environment.GetEnvironmentVariable("GRANARY_FUZZ_SEED") switch
    {
        null or "" => 20261201,
        "random" => Environment.TickCount,
        var text => int.Parse(text, CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task Malformed_requests_never_get_a_5xx_or_a_partial_answer_and_never_write()
    {
        var seed = Seed;
        var problems = new ConcurrentQueue<string>();
        var refused = new ConcurrentDictionary<long, string>();
        var accepted = new ConcurrentDictionary<long, bool>();
        var statuses = new ConcurrentDictionary<int, int>();
        var perConnection = Requests / Connections;

        var workers = Enumerable.Range(0, Connections).Select(worker => Task.Factory.StartNew(() =>
        {
            var cases = new MalformedRequests(seed + worker, ServedRepository.MaxBody, FirstWrittenId + (worker * IdsPerConnection));
            using var connection = new RawHttpExchange(served.Server.HttpUrl, TimeSpan.FromSeconds(30));
            for (var i = 0; i < perConnection && problems.Count < 20; i++)
            {
                var next = cases.Next();
                var response = connection.Send(next.Request, fresh: next.FreshConnection, closeSending: next.ClientLeaves, expectContinue: next.ExpectContinue);
                statuses.AddOrUpdate(response.Status, 1, (_, n) => n + 1);
                if (Problem(next, response) is { } problem)
                {
                    problems.Enqueue($"{next.Description}: {problem}");
                }

                if (response.Status is >= 200 and < 300)
                {
                    // A flipped or inserted byte can turn one request's id into another's: an accepted request may
                    // have written any number it holds.
                    foreach (var number in Numbers(next.Request))
                    {
                        accepted[number] = true;
                    }
                }
                else
                {
                    foreach (var id in next.WrittenIds)
                    {
                        refused[id] = $"{next.Description} ({response.Status})";
                    }
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(workers);

        output.WriteLine($"seed {seed}: {perConnection * Connections} requests; statuses "
            + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
        Assert.True(problems.IsEmpty, $"seed {seed}:\n" + string.Join("\n", problems));

        var found = await FoundAsync([.. refused.Keys.Where(id => !accepted.ContainsKey(id))]);
        Assert.True(found.Count == 0, $"seed {seed}: refused writes reached the store:\n" + string.Join("\n", found.Take(20).Select(id => $"{id}: {refused[id]}")));
        Assert.True(refused.Count > Requests / 20, $"only {refused.Count} refused writes were checked");
        await AssertStillServesAsync(FirstWrittenId - 1);
    }

    private static IEnumerable<long> Numbers(byte[] request)
    {
        var text = Encoding.Latin1.GetString(request);
        foreach (System.Text.RegularExpressions.Match match in System.Text.RegularExpressions.Regex.Matches(text, "[0-9]{6,18}"))
        {
            yield return long.Parse(match.Value, CultureInfo.InvariantCulture);
        }
    }

    private static string? Problem(FuzzCase sent, RawResponse response)
    {
        if ((sent.ClientLeaves && response.Status == 0) || (sent.AnsweredBeforeTheApp && response.Status is 0 or (>= 400 and < 500)))
        {
            return null;
        }

        if (!response.Complete)
        {
            return $"no whole answer ({response.Problem})";
        }

        if (response.Status >= 500)
        {
            return $"{response.Status}: {Encoding.UTF8.GetString(response.Body)}";
        }

        if (response.Status >= 400)
        {
            return ErrorBodyProblem(response);
        }

        return null;
    }

    private static string? ErrorBodyProblem(RawResponse response)
    {
        var text = Encoding.UTF8.GetString(response.Body);
        if (!response.ContentType.StartsWith("application/json", StringComparison.Ordinal))
        {
            return $"{response.Status} with Content-Type '{response.ContentType}' and body '{text}'";
        }

        try
        {
            using var document = JsonDocument.Parse(response.Body);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String
                && root.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String && detail.GetString()!.Length > 0
                ? null
                : $"{response.Status} without {{\"error\", \"detail\"}}: {text}";
        }
        catch (JsonException)
        {
            return $"{response.Status} with a body that is not JSON: {text}";
        }
    }

    /// <summary>The ids among <paramref name="ids"/> that have a value of the push view in the online store.</summary>
    private async Task<List<long>> FoundAsync(long[] ids)
    {
        var found = new List<long>();
        foreach (var chunk in ids.Chunk(1_000))
        {
            var request = "{\"features\": [\"live_stats:orders_7d\"], \"entities\": {\"user_id\": ["
                + string.Join(", ", chunk.Select(id => id.ToString(CultureInfo.InvariantCulture))) + "]}}";
            var (response, body) = await served.PostAsync("/get-online-features", request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var statuses = body.GetProperty("results")[1].GetProperty("statuses");
            for (var i = 0; i < chunk.Length; i++)
            {
                if (statuses[i].GetString() != "NOT_FOUND")
                {
                    found.Add(chunk[i]);
                }
            }
        }

        return found;
    }

    private async Task AssertStillServesAsync(long id)
    {
        var (health, _) = await served.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        var push = "{\"push_source_name\": \"user_stats_push\", \"df\": {\"user_id\": [" + id + "], \"event_timestamp\": [\"2026-11-06T00:00:00Z\"], "
            + "\"orders_7d\": [41], \"spend_7d\": [2.5]}}";
        var (pushed, _) = await served.PostAsync("/push", push);
        Assert.Equal(HttpStatusCode.OK, pushed.StatusCode);

        var (read, body) = await served.PostAsync("/get-online-features", "{\"features\": [\"live_stats:orders_7d\"], \"entities\": {\"user_id\": [" + id + "]}}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("PRESENT", body.GetProperty("results")[1].GetProperty("statuses")[0].GetString());
        Assert.Equal(41, body.GetProperty("results")[1].GetProperty("values")[0].GetInt64());
    }
}

public sealed class EmbeddedServerFuzzTests(EmbeddedServedRepository served, ITestOutputHelper output)
    : ServerFuzzContract(served, output), IClassFixture<EmbeddedServedRepository>;

public sealed class RedisServerFuzzTests(RedisServedRepository served, ITestOutputHelper output)
    : ServerFuzzContract(served, output), IClassFixture<RedisServedRepository>;
