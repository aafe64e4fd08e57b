using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Granary.Online;
using Granary.Online.Embedded;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Granary.Benchmarks.Online;

/// <summary>
/// Materialization into the embedded online store as built (append-only log of winners): one million ~150-byte
/// records in shuffled key order, batches of 10,000, each batch one fsynced commit, through
/// <see cref="EmbeddedOnlineStore.WriteAsync"/> into a fresh file; then the cold start that loads them back.
/// Run: <c>--quick --filter *EmbeddedWrite*</c>.
/// </summary>
[MemoryDiagnoser]
public class EmbeddedWriteBenchmarks
{
    private string _folder = "";

    [GlobalSetup]
    public void Setup() => _ = EngineChoiceData.Writes;

    [IterationSetup]
    public void CleanFolder() => _folder = EngineChoiceData.Folder("embedded-write");

    [Benchmark(Description = "EmbeddedOnlineStore.WriteAsync, 1,000,000 records, batches of 10,000")]
    public Task<int> Write() => EmbeddedEngineChoiceWriteBenchmarks.WriteSqliteAsync(_folder);

    /// <summary>
    /// The same as a plain console measurement, without BenchmarkDotNet's process: writes the million records, then
    /// (the overwrite case) writes them all twice more with later event times so the log passes twice the live
    /// records and compacts, then opens a second store on the file and times its load. Prints one line per step.
    /// </summary>
    public static async Task RunOnceAsync(TextWriter output)
    {
        var writes = EngineChoiceData.Writes;
        output.WriteLine($"bare SQLite append-only inserts, same data and settings: {WriteBareLog(EngineChoiceData.Folder("embedded-write-bare")):N0} rows/s");
        var folder = EngineChoiceData.Folder("embedded-write-once");
        var path = Path.Combine(folder, "online.db");
        await using (var store = new EmbeddedOnlineStore(path))
        {
            await store.InitializeAsync();
            var clock = Stopwatch.StartNew();
            var written = 0;
            foreach (var batch in EngineChoiceData.Batches())
            {
                written += await store.WriteAsync(batch);
            }

            var seconds = clock.Elapsed.TotalSeconds;
            output.WriteLine($"write {written:N0} records: {seconds:F2} s, {written / seconds:N0} rows/s");
            await ColdStartAsync(path, "log of 1,000,000 rows, all live", output);

            // Two more passes, each with later event times: the log passes twice the live records during the second.
            var newer = Enumerable.Range(1, 2).SelectMany(pass => writes.Select(w =>
            {
                var record = (byte[])w.Record.Clone();
                record[Granary.Core.Values.OnlineRecord.EventOffset + 7] += (byte)pass;
                return new OnlineWrite(w.View, w.Entity, record);
            })).ToArray();
            clock.Restart();
            written = 0;
            for (var start = 0; start < newer.Length; start += EngineChoiceData.BatchSize)
            {
                written += await store.WriteAsync(new ArraySegment<OnlineWrite>(newer, start, Math.Min(EngineChoiceData.BatchSize, newer.Length - start)));
            }

            seconds = clock.Elapsed.TotalSeconds;
            output.WriteLine($"overwrite {written:N0} records (compaction included): {seconds:F2} s, {written / seconds:N0} rows/s");
        }

        await ColdStartAsync(path, "log after the overwrites and a compaction", output);
    }

    private static async Task ColdStartAsync(string path, string what, TextWriter output)
    {
        var load = Stopwatch.StartNew();
        await using var reopened = new EmbeddedOnlineStore(path);
        await reopened.InitializeAsync();
        output.WriteLine($"cold start ({what}): load {reopened.Count:N0} records: {load.Elapsed.TotalSeconds:F2} s");
    }

    /// <summary>
    /// The floor under the store: the same records appended to the same table with the same settings through SQLitePCL,
    /// no last-write-wins, no memory; measured in the same process so a busy machine slows both alike.
    /// </summary>
    private static double WriteBareLog(string folder)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "bare.db")};Pooling=False");
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-65536; CREATE TABLE log(seq INTEGER PRIMARY KEY, view TEXT NOT NULL, entity BLOB NOT NULL, record BLOB NOT NULL);";
            setup.ExecuteNonQuery();
        }

        var db = connection.Handle!;
        raw.sqlite3_prepare_v2(db, "INSERT INTO log(view, entity, record) VALUES (?1, ?2, ?3)", out var insert);
        var view = System.Text.Encoding.UTF8.GetBytes(EngineChoiceData.View);
        var clock = Stopwatch.StartNew();
        using (insert)
        {
            foreach (var batch in EngineChoiceData.Batches())
            {
                raw.sqlite3_exec(db, "BEGIN IMMEDIATE");
                foreach (var write in batch)
                {
                    raw.sqlite3_bind_text(insert, 1, view);
                    raw.sqlite3_bind_blob(insert, 2, write.Entity.Bytes);
                    raw.sqlite3_bind_blob(insert, 3, write.Record);
                    raw.sqlite3_step(insert);
                    raw.sqlite3_reset(insert);
                }

                raw.sqlite3_exec(db, "COMMIT");
            }
        }

        return EngineChoiceData.Records / clock.Elapsed.TotalSeconds;
    }
}
