using System.Globalization;
using Granary.Core.Model;
using Granary.Historical;
using Granary.Offline;
using Granary.Offline.Retrieval;
using Granary.OnlineServing;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Streaming.EndToEnd;

/// <summary>
/// Which copy of a key's reused event id counts, across pushes logged to separate parts and after the parts are
/// compacted into one file: the first pushed, online and in training data alike, whatever the copies' times.
/// </summary>
public sealed class StreamLogOrderTests
{
    [Fact]
    public async Task The_first_pushed_copy_of_a_keys_id_counts_online_and_in_training_data_before_and_after_compaction()
    {
        using var repo = await StreamParityRepository.CreateAsync("log_order");
        await using var store = new FeatureStoreBuilder(repo.Root).UseTimeProvider(new FakeTimeProvider(StreamParityRepository.Noon.AddMinutes(10))).Build();
        await store.ApplyAsync();

        // User 1's t1 is first 3.0 at 12:05 ("a"), then 9.0 at 12:01 ("z"), which does not count; user 2's t1 does.
        await StreamParityRepository.PushAsync(store, (1, 5, 3.0, "a", "t1"));
        await StreamParityRepository.PushAsync(store, (1, 1, 9.0, "z", "t1"), (2, 3, 5.0, "c", "t1"));
        await StreamParityRepository.PushAsync(store, (1, 2, 1.0, "b", "t2"));
        repo.Write("entities.csv", "user_id,event_timestamp\n1,2026-03-01T12:10:00Z\n2,2026-03-01T12:10:00Z\n");
        string[] expected = ["4|b|2", "5|c|1"];

        var before = await TrainingAsync(store, repo.Root);
        var source = (await store.GetRegistryAsync()).Definitions.FindSource("txn_log") as BatchSource;
        var merged = await store.Offline.Require<IPushLogCompaction>("compact the push log").CompactAsync(source!, repo.Root);
        var after = await TrainingAsync(store, repo.Root);
        var online = await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [1L, 2L] },
            Features = ["user_spend:sum_amount_lifetime", "user_spend:first_merchant_1h", "user_spend:count_lifetime"],
        });

        Assert.Equal(expected, before);
        Assert.Equal(3, merged);
        Assert.Equal(expected, after);
        Assert.Equal(
            expected,
            Enumerable.Range(0, 2).Select(r => string.Join("|", Enumerable.Range(1, 3).Select(c => Text(online.Results[c].Values[r].ToObject())))));
    }

    private static async Task<List<string>> TrainingAsync(FeatureStore store, string root)
    {
        var training = await store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest
        {
            Entities = EntityTable.FromFile(Path.Combine(root, "entities.csv")),
            Features = ["user_spend:sum_amount_lifetime", "user_spend:first_merchant_1h", "user_spend:count_lifetime"],
        });
        await using var rows = await training.ReadAsync();
        var result = new List<string>();
        while (await rows.Reader.ReadAsync())
        {
            result.Add(string.Join("|", Enumerable.Range(2, 3).Select(c => Text(rows.Reader.GetValue(c)))));
        }

        return result;
    }

    private static string Text(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";

}
