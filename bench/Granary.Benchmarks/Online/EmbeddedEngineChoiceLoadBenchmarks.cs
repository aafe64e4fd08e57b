using BenchmarkDotNet.Attributes;
using Granary.Online.Embedded;
using LightningDB;
using RocksDbSharp;

namespace Granary.Benchmarks.Online;

/// <summary>
/// The other half of the engine choice: a cold start, loading one million records from the file into memory (what
/// <see cref="EmbeddedOnlineStore.InitializeAsync"/> does before the first read). The key-value engines load into a
/// dictionary keyed by copied key bytes, the least they would need to serve reads from memory as well.
/// </summary>
[MemoryDiagnoser]
public class EmbeddedEngineChoiceLoadBenchmarks
{
    private string _folder = "";

    [GlobalSetup]
    public async Task Setup()
    {
        _folder = EngineChoiceData.Folder("load");
        await EmbeddedEngineChoiceWriteBenchmarks.WriteSqliteAsync(_folder);
        EmbeddedEngineChoiceWriteBenchmarks.WriteRocksDb(_folder);
        try
        {
            EmbeddedEngineChoiceWriteBenchmarks.WriteLmdb(_folder);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // LightningDB's bundled liblmdb needs glibc 2.38; without a system liblmdb the other cases still run.
            Console.WriteLine($"LMDB unavailable: {e.Message}");
        }
    }

    [Benchmark(Baseline = true, Description = "SQLite: EmbeddedOnlineStore.InitializeAsync")]
    public async Task<long> Sqlite()
    {
        await using var store = new EmbeddedOnlineStore(Path.Combine(_folder, "online.db"));
        await store.InitializeAsync();
        return store.Count;
    }

    [Benchmark(Description = "RocksDB: iterate into a dictionary")]
    public int RocksDb()
    {
        var options = new DbOptions();
        using var db = RocksDbSharp.RocksDb.Open(options, Path.Combine(_folder, "rocks"));
        var memory = new Dictionary<ReadOnlyMemory<byte>, byte[]>(EngineChoiceData.Records, KeyComparer.Instance);
        using var iterator = db.NewIterator();
        for (iterator.SeekToFirst(); iterator.Valid(); iterator.Next())
        {
            memory[iterator.Key()] = iterator.Value();
        }

        return memory.Count;
    }

    [Benchmark(Description = "LMDB: cursor into a dictionary")]
    public int Lmdb()
    {
        using var env = new LightningEnvironment(Path.Combine(_folder, "lmdb"), new EnvironmentConfiguration { MapSize = 4L << 30 });
        env.Open();
        var memory = new Dictionary<ReadOnlyMemory<byte>, byte[]>(EngineChoiceData.Records, KeyComparer.Instance);
        using var tx = env.BeginTransaction(TransactionBeginFlags.ReadOnly);
        using var db = tx.OpenDatabase();
        using var cursor = tx.CreateCursor(db);
        while (cursor.Next() is (MDBResultCode.Success, var key, var value))
        {
            memory[key.CopyToNewArray()] = value.CopyToNewArray();
        }

        return memory.Count;
    }

    private sealed class KeyComparer : IEqualityComparer<ReadOnlyMemory<byte>>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals(ReadOnlyMemory<byte> x, ReadOnlyMemory<byte> y) => x.Span.SequenceEqual(y.Span);

        public int GetHashCode(ReadOnlyMemory<byte> obj)
        {
            var hash = new HashCode();
            hash.AddBytes(obj.Span);
            return hash.ToHashCode();
        }
    }
}
