using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Core.Values;
using Granary.Online.Embedded;

namespace Granary.Tests.Online.Embedded;

// The embedded store's per-view table against a plain Dictionary, and its one promise to concurrent readers: a key
// once visible stays visible, with a record the writer stored, while the writer keeps adding keys and growing.
public sealed class RecordTableTests
{
    // Few distinct keys for many sets, so replacing is exercised as much as adding, and enough to grow several times.
    private static readonly Gen<(int Key, byte Value)[]> Sets =
        Gen.Choose(0, 400).SelectMany(n => Gen.ArrayOf(Gen.Zip(Gen.Choose(0, 150), Gen.Choose(0, 255).Select(v => (byte)v)), n));

    [Property(MaxTest = 100)]
    public Property After_any_sets_every_key_reads_its_last_record_and_seq_as_a_dictionary_does() =>
        Prop.ForAll(Sets.ToArbitrary(), Gen.Choose(0, 300).ToArbitrary(), (sets, expected) =>
        {
            var table = new RecordTable<byte[]>(expected);
            var reference = new Dictionary<int, (byte[] Record, long Seq)>();
            for (var seq = 0; seq < sets.Length; seq++)
            {
                var (key, value) = sets[seq];
                var record = new[] { value, (byte)seq };
                table.Set(Key(key), record, seq);
                reference[key] = (record, seq);
            }

            Assert.Equal(reference.Count, table.Count);
            for (var key = 0; key <= 150; key++)
            {
                var found = table.TryGet(Key(key), out var record, out var seq);
                Assert.Equal(reference.ContainsKey(key), found);
                Assert.Equal(found ? reference[key].Record : null, table.Get(Key(key)));
                if (found)
                {
                    Assert.Same(reference[key].Record, record);
                    Assert.Equal(reference[key].Seq, seq);
                }
            }

            var seqs = new List<long>();
            table.AddSequences(seqs);
            Assert.Equal(reference.Values.Select(v => v.Seq).Order(), seqs.Order());
        });

    [Fact]
    public async Task Readers_never_miss_a_published_key_while_the_writer_adds_and_grows()
    {
        const int Keys = 200_000;
        var table = new RecordTable<byte[]>();
        var published = 0;
        var done = false;

        var writer = Task.Run(() =>
        {
            for (var k = 0; k < Keys; k++)
            {
                table.Set(Key(k), BitConverter.GetBytes(k), k);
                // A second write of an earlier key: replacing while readers probe must not hide it either.
                if (k % 7 == 0)
                {
                    table.Set(Key(k / 2), BitConverter.GetBytes(k / 2), k);
                }

                Volatile.Write(ref published, k + 1);
            }

            Volatile.Write(ref done, true);
        });

        var readers = Enumerable.Range(0, 2).Select(r => Task.Run(() =>
        {
            var random = new Random(r);
            var misses = 0;
            while (!Volatile.Read(ref done))
            {
                var visible = Volatile.Read(ref published);
                if (visible == 0)
                {
                    continue;
                }

                var k = random.Next(visible);
                var record = table.Get(Key(k));
                if (record is null || BitConverter.ToInt32(record) != k)
                {
                    misses++;
                }
            }

            return misses;
        })).ToArray();

        await writer;
        var misses = await Task.WhenAll(readers);
        Assert.Equal(new[] { 0, 0 }, misses);
        Assert.Equal(Keys, table.Count);
    }

    private static EntityKey Key(int k) => EntityKey.Create(FeatureValue.Int64(k));
}
