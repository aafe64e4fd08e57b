using System.Data.Common;
using DuckDB.NET.Data;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;

namespace Granary.Offline.DuckDb;

/// <summary>
/// One push log folder's writer. Appends queue up while a flush runs; the next flush writes every queued append into
/// one part (group commit), so concurrent pushes share files, and each append is acknowledged once its part is renamed
/// into place, which is as durable as a part per push was. When the live parts pass the threshold, the flush compacts
/// them (with the previous compaction) into one file, so the folder holds a bounded number of files.
/// </summary>
/// <remarks>
/// Flushes and compactions of one folder run one at a time in this process (a semaphore) and across processes (an
/// exclusive lock on <c>&lt;folder&gt;.lock</c>, released by the system if the holder dies), so part numbers never clash
/// and a compaction sees every part written before it. Files are written under a temporary name and renamed.
/// </remarks>
internal sealed class DuckDbPushLogFolder(string folder, FileFormat format, int compactAfterParts, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly List<Pending> _queue = [];

    public async Task AppendAsync(PushBatch batch)
    {
        var pending = new Pending(batch);
        lock (_queue)
        {
            _queue.Add(pending);
        }

        // Not cancellable once queued: another flush may already be writing these rows, and a caller told "cancelled"
        // must not find them logged.
        await _writer.WaitAsync();
        try
        {
            if (!pending.Done.Task.IsCompleted)
            {
                await FlushAsync();
            }
        }
        finally
        {
            _writer.Release();
        }

        await pending.Done.Task;
    }

    public void Dispose() => _writer.Dispose();

    public async Task<int> CompactAsync(CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            await using var held = await LockAsync(cancellationToken);
            return await CompactLockedAsync(cancellationToken);
        }
        finally
        {
            _writer.Release();
        }
    }

    private async Task FlushAsync()
    {
        List<Pending> group;
        lock (_queue)
        {
            group = [.. _queue];
            _queue.Clear();
        }

        try
        {
            Directory.CreateDirectory(folder);
            await using var held = await LockAsync(CancellationToken.None);
            var sequence = DuckDbPushLogFiles.List(folder, format).LastSequence;

            // Appends with the same columns share a part; one whose values do not fit fails alone.
            foreach (var same in group.GroupBy(p => string.Join("\n", p.Batch.Schema.Columns.Select(c => c.Name + " " + c.EngineType))))
            {
                var batches = same.ToList();
                try
                {
                    await WritePartAsync(batches, ++sequence);
                    batches.ForEach(p => p.Done.TrySetResult());
                }
                catch (GranaryException) when (batches.Count > 1)
                {
                    foreach (var pending in batches)
                    {
                        try
                        {
                            await WritePartAsync([pending], ++sequence);
                            pending.Done.TrySetResult();
                        }
                        catch (Exception e)
                        {
                            pending.Done.TrySetException(e);
                        }
                    }
                }
            }

            if (DuckDbPushLogFiles.List(folder, format).LiveParts > compactAfterParts)
            {
                await CompactAfterFlushAsync();
            }
        }
        catch (Exception e)
        {
            group.ForEach(p => p.Done.TrySetException(e));
        }
    }

    // The rows are acknowledged already, so a compaction that fails (a full disk, say) leaves the parts as they are;
    // the next flush tries again, and CompactAsync reports the failure to a caller who asks.
    private async Task CompactAfterFlushAsync()
    {
        try
        {
            await CompactLockedAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is DbException or IOException or UnauthorizedAccessException)
        {
        }
    }

    private async Task WritePartAsync(IReadOnlyList<Pending> batches, long sequence)
    {
        var schema = batches[0].Batch.Schema;
        var target = Path.Combine(folder, DuckDbPushLogFiles.PartName(sequence, format));
        var temporary = Path.Combine(folder, "." + Path.GetFileName(target) + ".tmp");
        await using var connection = await DuckDbConnections.OpenInMemoryAsync();
        var quoted = schema.Columns.Select(c => DuckDbSql.Quote(c.Name)).ToList();
        await ExecuteAsync(connection, $"CREATE TABLE pushed ({string.Join(", ", quoted.Select(q => q + " VARCHAR"))})", CancellationToken.None);
        using (var appender = connection.CreateAppender("pushed"))
        {
            foreach (var pending in batches)
            {
                var values = pending.Batch.Values;
                for (var r = 0; r < pending.Batch.Rows; r++)
                {
                    var row = appender.CreateRow();
                    for (var c = 0; c < values.Length; c++)
                    {
                        row.AppendValue(values[c][r]);
                    }

                    row.EndRow();
                }
            }
        }

        var select = string.Join(", ", schema.Columns.Select((c, i) => $"CAST({quoted[i]} AS {c.EngineType}) AS {quoted[i]}"));
        try
        {
            await ExecuteAsync(connection, $"COPY (SELECT {select} FROM pushed) TO {DuckDbSql.Literal(temporary)} ({CopyOptions})", CancellationToken.None);
        }
        catch (DbException e)
        {
            File.Delete(temporary);
            throw new GranaryException(ErrorCodes.InvalidArgument, $"Pushed rows do not fit the columns of source '{batches[0].Batch.SourceName}': {e.Message}", e);
        }

        File.Move(temporary, target);
    }

    /// <summary>Merges the live files into one; the files the previous compaction covered are deleted. Returns the files merged.</summary>
    private async Task<int> CompactLockedAsync(CancellationToken cancellationToken)
    {
        var listing = DuckDbPushLogFiles.List(folder, format);
        foreach (var dead in listing.Dead)
        {
            File.Delete(dead);
        }

        // Without a part above the newest compaction there is nothing to merge.
        if (listing.LiveParts == 0)
        {
            return 0;
        }

        var target = Path.Combine(folder, DuckDbPushLogFiles.CompactedName(listing.LastSequence, format));
        var temporary = Path.Combine(folder, "." + Path.GetFileName(target) + ".tmp");
        var files = "[" + string.Join(", ", listing.Live.Select(DuckDbSql.Literal)) + "]";

        // CSV parts are merged as text, so every value is written back exactly as it was logged.
        var read = format == FileFormat.Parquet
            ? $"read_parquet({files}, union_by_name = true)"
            : $"read_csv({files}, header = true, union_by_name = true, all_varchar = true)";
        await using var connection = await DuckDbConnections.OpenInMemoryAsync(cancellationToken);
        try
        {
            await ExecuteAsync(connection, $"COPY (SELECT * FROM {read}) TO {DuckDbSql.Literal(temporary)} ({CopyOptions})", cancellationToken);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        File.Move(temporary, target);
        return listing.Live.Count;
    }

    private string CopyOptions => format == FileFormat.Csv ? "FORMAT csv, HEADER true" : "FORMAT parquet";

    private async Task<FileStream> LockAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            try
            {
                return new FileStream(folder + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (time.GetElapsedTime(started) < LockWait)
            {
                // Another process is flushing or compacting this folder; flushes take milliseconds.
                await Task.Delay(TimeSpan.FromMilliseconds(5), time, cancellationToken);
            }
        }
    }

    private static async Task ExecuteAsync(DuckDBConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed class Pending(PushBatch batch)
    {
        public PushBatch Batch { get; } = batch;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
