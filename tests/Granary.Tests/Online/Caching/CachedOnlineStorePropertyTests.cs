using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Core.Model;
using Granary.Core.Values;
using Granary.Online;
using Granary.Online.Caching;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Online.Caching;

/// <summary>
/// The read cache against a deliberately naive reference: a list of (key, answer, expiry) in least-recently-used
/// order, searched from the front. Random steps read batches, write through the cache, write behind its back (as
/// another process would) and move the clock; after each read the cache must answer exactly what the reference says.
/// </summary>
public sealed class CachedOnlineStorePropertyTests
{
    private const int Capacity = 3;
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);
    private static readonly RecordSchema Schema = new([new Field("a", FeatureType.Int64)]);
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    // 0: read a batch of keys; 1: write through the cache; 2: write behind its back; 3: advance the clock.
    private static readonly Gen<(int Kind, int[] Keys, int Seconds)> Steps =
        Gen.Zip(
            Gen.Zip(Gen.Frequency((5, Gen.Constant(0)), (2, Gen.Constant(1)), (2, Gen.Constant(2)), (2, Gen.Constant(3))), Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 5), n))),
            Gen.Choose(1, 12),
            (step, seconds) => (step.Item1, step.Item2, seconds));

    [Property(MaxTest = 200)]
    public Property Every_read_answers_what_a_naive_lru_with_expiry_says() =>
        Prop.ForAll(Gen.Choose(1, 40).SelectMany(n => Gen.ArrayOf(Steps, n)).ToArbitrary(), steps =>
        {
            Run(steps).GetAwaiter().GetResult();
        });

    private static async Task Run((int Kind, int[] Keys, int Seconds)[] steps)
    {
        var time = new FakeTimeProvider(Start);
        var data = new NaiveOnlineStore.Data();
        await using var store = new CachedOnlineStore(new NaiveOnlineStore(data), new OnlineCacheOptions { Ttl = Ttl, MaxEntries = Capacity }, time, OnlineCacheMetrics.For(null));
        var reference = new List<(int Key, byte[]? Answer, DateTimeOffset Expires)>();
        var version = 0L;
        foreach (var (kind, keys, seconds) in steps)
        {
            switch (kind)
            {
                case 0:
                    var records = new byte[]?[keys.Length];
                    await store.ReadAsync(keys.Select(Key).ToArray(), records);
                    Assert.Equal(ReferenceRead(reference, keys, data, time.GetUtcNow()), records);

                    break;
                case 1:
                    await store.WriteAsync(keys.Select(k => new OnlineWrite(Key(k).View, Key(k).Entity, Record(++version))).ToArray());
                    reference.RemoveAll(e => keys.Contains(e.Key));
                    break;
                case 2:
                    foreach (var k in keys)
                    {
                        data.Records[Key(k)] = Record(++version);
                    }

                    break;
                default:
                    time.Advance(TimeSpan.FromSeconds(seconds));
                    break;
            }
        }
    }

    /// <summary>
    /// What the cache should answer for a batch at <paramref name="now"/>, updating the reference as the cache would: the
    /// keys it holds answer first, in order, each becoming the most recently used; then the store's answers for the
    /// rest are remembered in order, each evicting the least recently used when the cache is full.
    /// </summary>
    private static byte[]?[] ReferenceRead(List<(int Key, byte[]? Answer, DateTimeOffset Expires)> reference, int[] keys, NaiveOnlineStore.Data data, DateTimeOffset now)
    {
        var answers = new byte[]?[keys.Length];
        var missed = new List<int>();
        for (var i = 0; i < keys.Length; i++)
        {
            var index = reference.FindIndex(e => e.Key == keys[i]);
            if (index >= 0 && reference[index].Expires > now)
            {
                var hit = reference[index];
                reference.RemoveAt(index);
                reference.Insert(0, hit);
                answers[i] = hit.Answer;
                continue;
            }

            if (index >= 0)
            {
                reference.RemoveAt(index);
            }

            missed.Add(i);
        }

        foreach (var i in missed)
        {
            answers[i] = data.Records.GetValueOrDefault(Key(keys[i]));
            var index = reference.FindIndex(e => e.Key == keys[i]);
            if (index >= 0)
            {
                reference.RemoveAt(index);
            }
            else if (reference.Count == Capacity)
            {
                reference.RemoveAt(reference.Count - 1);
            }

            reference.Insert(0, (keys[i], answers[i], now + Ttl));
        }

        return answers;
    }

    private static OnlineKey Key(int k) => new(k % 2 == 0 ? "even" : "odd", EntityKey.Create(FeatureValue.Int64(k)));

    private static byte[] Record(long version) => OnlineRecord.Encode(Schema, version, version, [FeatureValue.Int64(version)]);
}
