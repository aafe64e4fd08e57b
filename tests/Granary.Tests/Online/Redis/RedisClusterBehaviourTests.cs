using Granary.Online;
using Granary.Tests.Infrastructure;
using Granary.Core.Values;

namespace Granary.Tests.Online.Redis;

/// <summary>
/// The Redis store's own promises (<see cref="RedisStoreBehaviour"/>) on a three-node cluster, plus what only a cluster
/// can show: where keys land and how a batch is split across slots.
/// </summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterBehaviourTests(RedisCluster cluster) : RedisStoreBehaviour
{
    protected override string ConnectionString => cluster.ConnectionString;

    protected override IReadOnlyList<RedisServer> Nodes => cluster.Nodes;

    [Fact]
    public async Task Every_view_of_an_entity_is_in_one_hash_slot_and_entities_spread_over_slots()
    {
        var store = await OpenAsync(RedisServer.NewProject());
        EntityKey[] entities =
        [
            .. Enumerable.Range(0, 20).Select(i => EntityKey.Create(FeatureValue.Int64(i))),
            EntityKey.Create(FeatureValue.String("{tag}")),
            EntityKey.Create(FeatureValue.String("a}b{c")),
            EntityKey.Create(FeatureValue.String("日本"), FeatureValue.Int32(3)),
        ];
        var slots = new HashSet<string>();
        foreach (var entity in entities)
        {
            var entitySlots = new HashSet<string>();
            foreach (var view in new[] { "stats", "trips", "a_much_longer_view_name" })
            {
                var key = (string)store.Layout.RecordKey(view, entity)!;
                Assert.StartsWith($"gr:{store.Layout.Project}:{{", key, StringComparison.Ordinal);
                Assert.EndsWith($"}}:{view}", key, StringComparison.Ordinal);
                entitySlots.Add((await cluster.Nodes[0].CliAsync("cluster", "keyslot", key)).Trim());
            }

            Assert.Single(entitySlots);
            slots.Add(entitySlots.First());
        }

        Assert.True(slots.Count > entities.Length / 2, $"{entities.Length} entities fell into only {slots.Count} slots.");
    }

    [Fact]
    public async Task A_batch_of_entities_is_one_MGET_per_slot_at_most()
    {
        var store = await OpenAsync(RedisServer.NewProject());
        var keys = new List<OnlineKey>();
        for (var i = 0; i < 60; i++)
        {
            keys.Add(new OnlineKey("stats", EntityKey.Create(FeatureValue.Int64(i))));
            keys.Add(new OnlineKey("trips", EntityKey.Create(FeatureValue.Int64(i))));
        }

        await store.WriteAsync(keys.ConvertAll(k => new OnlineWrite(k.View, k.Entity, Record(1, 1, 1))));
        await ResetStatsAsync();

        var records = new byte[]?[keys.Count];
        await store.ReadAsync(keys, records);

        Assert.All(records, r => Assert.Equal(Record(1, 1, 1), r));
        var mgets = await CallsAsync("mget");
        Assert.InRange(mgets, cluster.Nodes.Count, 60);
    }

    [Fact]
    public async Task Watermarks_of_a_project_share_one_slot()
    {
        var store = await OpenAsync(RedisServer.NewProject());
        var first = (string)store.Layout.WatermarkKey("stats")!;
        var second = (string)store.Layout.WatermarkKey("trips")!;

        Assert.Equal(
            (await cluster.Nodes[0].CliAsync("cluster", "keyslot", first)).Trim(),
            (await cluster.Nodes[0].CliAsync("cluster", "keyslot", second)).Trim());
    }
}
