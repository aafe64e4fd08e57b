using System.Buffers.Binary;
using System.Text;
using Granary.Online;
using Granary.Core.Values;

namespace Granary.Benchmarks.Online;

/// <summary>
/// The data of the embedded-engine measurements: one million ~150-byte online records of one view, keyed by int64
/// entity keys in shuffled order (materialization does not write in key order), cut into batches of 10,000.
/// </summary>
internal static class EngineChoiceData
{
    public const int Records = 1_000_000;
    public const int BatchSize = 10_000;
    public const int RecordSize = 150;
    public const string View = "driver_hourly_stats";

    private static readonly Lazy<OnlineWrite[]> _writes = new(Generate);

    /// <summary>The records, in write order.</summary>
    public static OnlineWrite[] Writes => _writes.Value;

    /// <summary>A scratch folder under the system temp folder, emptied.</summary>
    public static string Folder(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), "granary-bench-online", name);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>The key the key-value engines store a record under: view name, a zero byte, the entity key bytes.</summary>
    public static byte[] KvKey(OnlineWrite write)
    {
        var view = Encoding.UTF8.GetBytes(write.View);
        var key = new byte[view.Length + 1 + write.Entity.Bytes.Length];
        view.CopyTo(key, 0);
        write.Entity.Bytes.CopyTo(key.AsSpan(view.Length + 1));
        return key;
    }

    /// <summary>The writes cut into batches of <see cref="BatchSize"/>.</summary>
    public static IEnumerable<ArraySegment<OnlineWrite>> Batches()
    {
        for (var start = 0; start < Writes.Length; start += BatchSize)
        {
            yield return new ArraySegment<OnlineWrite>(Writes, start, Math.Min(BatchSize, Writes.Length - start));
        }
    }

    private static OnlineWrite[] Generate()
    {
        var random = new Random(42);
        var ids = new long[Records];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = i;
        }

        random.Shuffle(ids);
        var writes = new OnlineWrite[Records];
        const long baseMicros = 1_735_689_600_000_000; // 2025-01-01
        for (var i = 0; i < writes.Length; i++)
        {
            var record = new byte[RecordSize];
            random.NextBytes(record);
            record[0] = OnlineRecord.Version;
            BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(OnlineRecord.EventOffset), baseMicros + ids[i]);
            BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(OnlineRecord.CreatedOffset), baseMicros + ids[i] + 1);
            writes[i] = new OnlineWrite(View, EntityKey.Create(FeatureValue.Int64(ids[i])), record);
        }

        return writes;
    }
}
