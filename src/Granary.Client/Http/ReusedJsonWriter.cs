using System.Buffers;
using System.Text.Json;

namespace Granary.Client.Http;

/// <summary>
/// One <see cref="Utf8JsonWriter"/> per thread, reset onto each body: a body is written synchronously on one thread,
/// so every request need not allocate a writer and its state. A writer an exception left half-way is not returned.
/// </summary>
internal static class ReusedJsonWriter
{
    // Where a returned writer points between bodies, so that it holds no reference to the last request.
    private static readonly ArrayBufferWriter<byte> Detached = new(1);

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static Utf8JsonWriter Rent(IBufferWriter<byte> output)
    {
        var writer = t_writer;
        if (writer is null)
        {
            return new Utf8JsonWriter(output);
        }

        t_writer = null;
        writer.Reset(output);
        return writer;
    }

    /// <summary>Flushes the body into its output and keeps the writer for the thread's next body.</summary>
    public static void Return(Utf8JsonWriter writer)
    {
        writer.Flush();
        writer.Reset(Detached);
        t_writer = writer;
    }
}
