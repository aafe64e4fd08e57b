using System.Buffers;

namespace Granary.Streaming.Aggregation;

/// <summary>
/// Reusable buffers for writing a key's state, one per level of nesting (the whole state, its aggregates, one series'
/// block), per thread: writing is synchronous, so a buffer is never in use by two writes on one thread at one level.
/// The ingestor writes every touched key's state per batch; a fresh buffer per write and per block, grown from 256
/// bytes each time, was most of the allocation per event.
/// </summary>
internal static class StateScratch
{
    /// <summary>The buffer for the whole stored state.</summary>
    public const int State = 0;

    /// <summary>The buffer for a key's aggregates, inside the state.</summary>
    public const int Aggregates = 1;

    /// <summary>The buffer for one series or lifetime block, inside the aggregates.</summary>
    public const int Block = 2;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>?[]? t_buffers;

    /// <summary>The calling thread's empty buffer for <paramref name="level"/>; valid until the next rent of that level on this thread.</summary>
    public static ArrayBufferWriter<byte> Rent(int level)
    {
        var buffers = t_buffers ??= new ArrayBufferWriter<byte>?[Block + 1];
        var buffer = buffers[level] ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        return buffer;
    }
}
