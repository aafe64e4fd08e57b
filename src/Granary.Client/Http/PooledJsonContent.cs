using System.Buffers;
using System.Net;
using System.Net.Http.Headers;

namespace Granary.Client.Http;

/// <summary>
/// A request body written straight into a buffer rented from <see cref="ArrayPool{T}.Shared"/> and sent from it, the
/// buffer going back to the pool when the request is disposed. The whole body is written before anything is sent, so
/// that a value the server would refuse fails the call with nothing on the wire, and its length is known
/// (<c>Content-Length</c>, not chunked).
/// </summary>
internal sealed class PooledJsonContent : HttpContent, IBufferWriter<byte>
{
    private const int InitialSize = 512;

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private byte[] _buffer;
    private int _written;

    public PooledJsonContent()
    {
        _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
        Headers.ContentType = Json;
    }

    /// <summary>The body written so far.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _written);

    public void Advance(int count)
    {
        if (count < 0 || _written + count > _buffer.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "Advanced past the buffer handed out.");
        }

        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_written);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        stream.WriteAsync(_buffer, 0, _written);

#if NET
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        stream.WriteAsync(_buffer.AsMemory(0, _written), cancellationToken).AsTask();

    protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        stream.Write(_buffer, 0, _written);
#endif

    protected override bool TryComputeLength(out long length)
    {
        length = _written;
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _buffer.Length > 0)
        {
            var buffer = _buffer;
            _buffer = [];
            _written = 0;
            ArrayPool<byte>.Shared.Return(buffer);
        }

        base.Dispose(disposing);
    }

    private void Reserve(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (needed <= _buffer.Length)
        {
            return;
        }

#if NET
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
#else
        if (_buffer.Length == 0)
        {
            throw new ObjectDisposedException(nameof(PooledJsonContent));
        }
#endif

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
        _buffer.AsSpan(0, _written).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
