using System.Diagnostics;
using Granary.Model;
using Granary.Online;
using Granary.Online.Redis;
using Granary.Tests.Infrastructure;
using Granary.Values;
using Xunit.Abstractions;

namespace Granary.Tests.Online.Redis;

[Collection(RedisClusterCollection.Name)]
public sealed class TmpThroughputTests(RedisCluster cluster, ITestOutputHelper output)
{
    [Theory]
    [InlineData(false, 1000)]
    [InlineData(false, 10000)]
    [InlineData(true, 10000)]
    public async Task Throughput(bool onCluster, int batch)
    {
        var schema = new RecordSchema([new Field("a", FeatureType.Int64), new Field("b", FeatureType.Float64), new Field("c", FeatureType.String)]);
        var n = 400_000;
        var writes = new OnlineWrite[n];
        for (var i = 0; i < n; i++)
        {
            writes[i] = new OnlineWrite("driver_stats", EntityKey.Create(FeatureValue.Int64(i)), OnlineRecord.Encode(schema, 1_700_000_000_000_000 + i, 1, [FeatureValue.Int64(i), FeatureValue.Float64(i * 0.5), FeatureValue.String("abcdefgh")]));
        }

        var conn = onCluster ? cluster.ConnectionString : cluster.Nodes[0].ConnectionString.Replace("127", "127", StringComparison.Ordinal);
        await using var store = new RedisOnlineStore(onCluster ? cluster.ConnectionString : StandaloneConnection, RedisServer.NewProject());
        await store.InitializeAsync();
        var sw = Stopwatch.StartNew();
        for (var start = 0; start < n; start += batch)
        {
            await store.WriteAsync(new ArraySegment<OnlineWrite>(writes, start, Math.Min(batch, n - start)));
        }

        var writeRate = n / sw.Elapsed.TotalSeconds;
        var keys = new OnlineKey[n];
        for (var i = 0; i < n; i++)
        {
            keys[i] = new OnlineKey("driver_stats", writes[i].Entity);
        }

        sw.Restart();
        var records = new byte[]?[batch];
        for (var start = 0; start < n; start += batch)
        {
            await store.ReadAsync(new ArraySegment<OnlineKey>(keys, start, batch), records);
        }

        output.WriteLine($"cluster={onCluster} batch={batch}: write {writeRate:N0}/s read {n / sw.Elapsed.TotalSeconds:N0}/s");
    }

    public static string StandaloneConnection { get; set; } = Environment.GetEnvironmentVariable("REDIS_SINGLE") ?? "127.0.0.1:6390";
}
