using BenchmarkDotNet.Attributes;
using Granary.Online.Embedded;
using LightningDB;
using RocksDbSharp;

namespace Granary.Benchmarks.Online;

/// <summary>
/// Why the embedded online store persists to SQLite: write throughput of one million ~150-byte records in batches of
/// 10,000, each batch one durable (fsynced) commit, into a fresh file. SQLite runs through the real
/// <see cref="EmbeddedOnlineStore"/> (last-write-wins checks, sequence stamping, memory publishing included); the others
/// are bare puts, so the comparison flatters them. Run: <c>--quick --filter *EngineChoice*</c>.
/// </summary>
[MemoryDiagnoser]
public class EmbeddedEngineChoiceWriteBenchmarks
{
    private string _folder = "";

    [GlobalSetup]
    public void Setup() => _ = EngineChoiceData.Writes;

    [IterationSetup]
    public void CleanFolder() => _folder = EngineChoiceData.Folder("write");

    [Benchmark(Baseline = true, Description = "SQLite WAL synchronous=FULL + memory (EmbeddedOnlineStore)")]
    public Task<int> Sqlite() => WriteSqliteAsync(_folder);

    [Benchmark(Description = "RocksDB WriteBatch, sync=true")]
    public int RocksDb() => WriteRocksDb(_folder);

    [Benchmark(Description = "LMDB (LightningDB) transaction per batch, durable commit")]
    public int Lmdb() => WriteLmdb(_folder);

    internal static async Task<int> WriteSqliteAsync(string folder)
    {
        await using var store = new EmbeddedOnlineStore(Path.Combine(folder, "online.db"));
        await store.InitializeAsync();
        var written = 0;
        foreach (var batch in EngineChoiceData.Batches())
        {
            written += await store.WriteAsync(batch);
        }

        return written;
    }

    internal static int WriteRocksDb(string folder)
    {
        var options = new DbOptions().SetCreateIfMissing(true);
        using var db = RocksDbSharp.RocksDb.Open(options, Path.Combine(folder, "rocks"));
        var sync = new WriteOptions().SetSync(true);
        var written = 0;
        foreach (var batch in EngineChoiceData.Batches())
        {
            using var writeBatch = new WriteBatch();
            foreach (var write in batch)
            {
                writeBatch.Put(EngineChoiceData.KvKey(write), write.Record);
            }

            db.Write(writeBatch, sync);
            written += batch.Count;
        }

        return written;
    }

    internal static int WriteLmdb(string folder)
    {
        using var env = new LightningEnvironment(Path.Combine(folder, "lmdb"), new EnvironmentConfiguration { MapSize = 4L << 30 });
        env.Open();
        using (var tx = env.BeginTransaction())
        {
            tx.OpenDatabase(configuration: new DatabaseConfiguration { Flags = DatabaseOpenFlags.Create });
            tx.Commit();
        }

        var written = 0;
        foreach (var batch in EngineChoiceData.Batches())
        {
            using var tx = env.BeginTransaction();
            using var db = tx.OpenDatabase();
            foreach (var write in batch)
            {
                tx.Put(db, EngineChoiceData.KvKey(write), write.Record);
            }

            tx.Commit();
            written += batch.Count;
        }

        return written;
    }
}
