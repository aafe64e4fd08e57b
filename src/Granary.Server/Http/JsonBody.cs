using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Granary.Server.Http;

/// <summary>
/// Writes JSON response bodies whole: into a buffer and a <see cref="Utf8JsonWriter"/> kept per thread and reused,
/// then copied into Kestrel's pipe in one piece with its Content-Length. A response is then one write with no
/// chunked framing, and answering allocates neither a writer nor a buffer.
/// </summary>
/// <remarks>
/// The buffer is per thread, not per request: a body is written synchronously from start to copy, so no other
/// response can use the thread's buffer in between. A buffer grown past <see cref="KeepAtMost"/> (a large batch) is
/// dropped afterwards rather than kept for the thread's lifetime.
/// </remarks>
internal static class JsonBody
{
    private const string ContentType = "application/json; charset=utf-8";
    private const int KeepAtMost = 1 << 20;

    /// <summary>
    /// The writer's structural checks are off: every body is written by this server's own code, whose output the
    /// contract tests parse, and the checks cost a branch and a bit-stack update on every token.
    /// </summary>
    internal static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Sets <paramref name="status"/> and writes the body <paramref name="write"/> produces from <paramref name="state"/>.</summary>
    public static void Write<TState>(HttpResponse response, int status, TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        try
        {
            write(writer, state);
            writer.Flush();
            response.StatusCode = status;
            response.ContentType = ContentType;
            response.ContentLength = buffer.WrittenCount;
            response.BodyWriter.Write(buffer.WrittenSpan);
        }
        finally
        {
            if (buffer.Capacity > KeepAtMost)
            {
                t_buffer = null;
                t_writer = null;
            }
        }
    }

    /// <summary>Writes <c>{...}</c> with 200; <paramref name="properties"/> fills in the properties.</summary>
    public static void WriteObject(HttpResponse response, Action<Utf8JsonWriter> properties) =>
        Write(response, StatusCodes.Status200OK, properties, static (writer, properties) =>
        {
            writer.WriteStartObject();
            properties(writer);
            writer.WriteEndObject();
        });
}
