using System.Net;
using Granary.Contracts.Errors;
using Granary.Online.Redis;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Faults;

/// <summary>
/// A real Redis online store behind a <see cref="TcpFaultProxy"/>, a real feature server in front: while Redis is
/// blackholed, refused or cut, reads are 503 <c>online_store_unavailable</c> (UNAVAILABLE over gRPC) within the
/// driver's short timeouts; the server recovers by itself when Redis returns; an answer cut short is an error, never a
/// partial answer; a materialization cut mid-write keeps its watermark and a rerun leaves exactly the latest values.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RedisFaultTests(RedisServer redis) : IAsyncLifetime
{
    private const int Users = 2000;
    private static readonly IReadOnlyList<FaultRow> Rows = FaultRows.Generate(Users, seed: 14);
    private static readonly IReadOnlyDictionary<long, FaultRow> Latest = FaultRows.Latest(Rows, DateTimeOffset.UnixEpoch, FaultRows.End);
    private static readonly IReadOnlyDictionary<long, FaultRow> FirstDay = FaultRows.Latest(Rows, DateTimeOffset.UnixEpoch, FaultRows.Between);
    private static readonly long[] Read = [.. Enumerable.Range(1, 300).Select(u => (long)u)];
    private static readonly long[] Everyone = [.. Enumerable.Range(1, Users).Select(u => (long)u)];

    private readonly string _project = "faults_" + Guid.NewGuid().ToString("N")[..12];
    private readonly TempRepository _repo = new();
    private TcpFaultProxy _proxy = null!;
    private FaultServer _server = null!;

    public async Task InitializeAsync()
    {
        _proxy = TcpFaultProxy.Start("127.0.0.1", redis.Port);

        // Timeouts of a second: a fault must turn into an answer in about that long, and the tests stay quick.
        var connection = $"{_proxy.Endpoint},connectTimeout=1000,asyncTimeout=1000,syncTimeout=1000";
        _repo.Write("granary.yaml", $"project: {_project}\nregistry: data/registry.db\nonline_store: {{type: redis, connection: \"{connection}\"}}\n")
            .Write("features.yaml", FaultRows.View + """

                sources:
                  - {name: stats, type: file, path: data/stats.csv, timestamp_field: event_timestamp, created_timestamp_column: created}
                """)
            .Write("data/stats.csv", FaultRows.Csv(Rows));
        await using (var store = FeatureStore.Open(_repo.Root))
        {
            await store.ApplyAsync();
        }

        _server = await FaultServer.StartAsync(_repo.Root);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _proxy.DisposeAsync();
        _repo.Dispose();
    }

    [Theory]
    [InlineData("blackholed")]
    [InlineData("refusing connections")]
    [InlineData("cutting replies")]
    public async Task While_redis_is_gone_reads_are_503_online_store_unavailable_and_the_server_recovers_when_it_returns(string fault)
    {
        await MaterializeAsync(FaultRows.End);
        await _server.AssertRecoversAsync(Read, Latest);

        switch (fault)
        {
            case "blackholed":
                _proxy.Blackhole();
                break;
            case "refusing connections":
                // Redis going down: live connections reset, new ones refused.
                _proxy.Refuse();
                _proxy.CutAll();
                break;
            default:
                _proxy.CutRepliesAfter(1000);
                break;
        }

        await FaultServer.AssertUnavailableAsync(ErrorCodes.OnlineStoreUnavailable, () => _server.OnlineAsync(Read));
        await _server.AssertGrpcUnavailableAsync(ErrorCodes.OnlineStoreUnavailable, Read);
        _proxy.Restore();
        await _server.AssertRecoversAsync(Read, Latest);
    }

    [Fact]
    public async Task A_reply_cut_anywhere_in_its_bytes_is_503_never_a_partial_answer()
    {
        await MaterializeAsync(FaultRows.End);
        await _server.AssertRecoversAsync(Read, Latest);

        // What one read's replies weigh on the wire, so the cuts can fall at its first byte, its middle and its last.
        var before = _proxy.ReplyBytes;
        await _server.AssertRecoversAsync(Read, Latest);
        var reply = (_proxy.ReplyBytes - before) / 2; // AssertRecoversAsync reads twice: HTTP, then gRPC.
        Assert.True(reply > 5000, $"One read's replies are only {reply} bytes.");

        foreach (var cut in new[] { 0, reply / 2, reply - 1 })
        {
            _proxy.CutRepliesAfter(cut);
            var (status, body) = await _server.OnlineAsync(Read).WaitAsync(FaultServer.Bound);
            Assert.True(status == HttpStatusCode.ServiceUnavailable, $"A reply cut after {cut} of its {reply} bytes was answered {(int)status}: {body}");
            Assert.Equal(ErrorCodes.OnlineStoreUnavailable, body.GetProperty("error").GetString());
            _proxy.Restore();
            await _server.AssertRecoversAsync(Read, Latest);
        }
    }

    [Fact]
    public async Task A_slow_redis_within_the_timeout_is_served_in_full_and_one_beyond_it_is_503()
    {
        await MaterializeAsync(FaultRows.End);

        _proxy.Delay(TimeSpan.FromMilliseconds(150));
        await _server.AssertRecoversAsync(Read, Latest);
        _proxy.Delay(TimeSpan.FromSeconds(3));
        await FaultServer.AssertUnavailableAsync(ErrorCodes.OnlineStoreUnavailable, () => _server.OnlineAsync(Read));
        _proxy.Restore();
        await _server.AssertRecoversAsync(Read, Latest);
    }

    [Fact]
    public async Task A_materialization_cut_mid_write_fails_keeps_the_watermark_and_a_rerun_after_restore_writes_exactly_the_latest_values()
    {
        await MaterializeAsync(FaultRows.Between);
        await using var observer = new RedisOnlineStore(redis.ConnectionString, _project);
        Assert.Equal(FaultRows.Between, await observer.GetWatermarkAsync("user_stats"));

        // The later rows' writes weigh about 200 KB; a fifth of that reaches Redis, then the connection is reset.
        _proxy.CutRequestsAfter(40_000);
        await FaultServer.AssertUnavailableAsync(ErrorCodes.OnlineStoreUnavailable, () => _server.MaterializeAsync(DateTimeOffset.UnixEpoch, FaultRows.End));
        _proxy.Restore();

        Assert.Equal(FaultRows.Between, await observer.GetWatermarkAsync("user_stats"));
        var (status, body) = await ReadEveryoneAsync();
        Assert.Equal(HttpStatusCode.OK, status);
        var orders = body.GetProperty("results")[1].GetProperty("values");
        var updated = 0;
        for (var i = 0; i < Users; i++)
        {
            // Each record is whole: the earlier run's or the interrupted run's, never anything else.
            var user = Everyone[i];
            var served = orders[i].GetInt64();
            Assert.True(served == FirstDay[user].Orders || served == Latest[user].Orders, $"User {user} is served {served}, from neither run.");
            updated += served == Latest[user].Orders ? 1 : 0;
        }

        Assert.True(updated > 0 && updated < Users, $"{updated} of {Users} users were updated: the cut did not fall mid-write.");

        await MaterializeAsync(FaultRows.End);
        Assert.Equal(FaultRows.End, await observer.GetWatermarkAsync("user_stats"));
        (status, body) = await ReadEveryoneAsync();
        Assert.Equal(HttpStatusCode.OK, status);
        FaultServer.AssertServes(body, Everyone, Latest);
    }

    private async Task MaterializeAsync(DateTimeOffset end)
    {
        var (status, body) = await _server.MaterializeAsync(DateTimeOffset.UnixEpoch, end);
        Assert.True(status == HttpStatusCode.OK, $"Materialization answered {(int)status}: {body}");
    }

    // The first read after a reset may still find the multiplexer reconnecting.
    private async Task<(HttpStatusCode Status, System.Text.Json.JsonElement Body)> ReadEveryoneAsync()
    {
        var answer = await _server.OnlineAsync(Everyone);
        for (var attempt = 0; attempt < 50 && answer.Status != HttpStatusCode.OK; attempt++)
        {
            await Task.Delay(200);
            answer = await _server.OnlineAsync(Everyone);
        }

        return answer;
    }
}
