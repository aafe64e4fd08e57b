using System.Buffers;
using Granary.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Granary.Server.Http;

/// <summary>
/// A whole request body in one pooled buffer, read up to the configured limit: a body that says or turns out to be
/// larger is refused with <c>payload_too_large</c> before it is parsed. Dispose returns the buffer.
/// </summary>
internal sealed class RequestBody : IDisposable
{
    private const int InitialSize = 16 * 1024;
    private byte[] _buffer;
    private int _length;

    private RequestBody(byte[] buffer)
    {
        _buffer = buffer;
    }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, _length);

    public static async Task<RequestBody> ReadAsync(HttpContext context, long limit, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        // Kestrel then also stops reading at the limit rather than its own (larger) default.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limit + 1;
        }

        var size = (int)Math.Min(limit + 1, request.ContentLength is > 0 and var known ? known + 1 : InitialSize);
        var body = new RequestBody(ArrayPool<byte>.Shared.Rent(Math.Max(size, 1)));
        try
        {
            while (true)
            {
                if (body._length == body._buffer.Length)
                {
                    body.Grow(limit);
                }

                var read = await request.Body.ReadAsync(body._buffer.AsMemory(body._length), cancellationToken);
                if (read == 0)
                {
                    return body;
                }

                body._length += read;
                if (body._length > limit)
                {
                    throw TooLarge(limit);
                }
            }
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Grow(long limit)
    {
        var next = ArrayPool<byte>.Shared.Rent((int)Math.Min(limit + 1, (long)_buffer.Length * 2));
        _buffer.AsSpan(0, _length).CopyTo(next);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = next;
    }

    private static GranaryException TooLarge(long limit) =>
        new(ServerErrorCodes.PayloadTooLarge, $"The request body is larger than the server's limit of {limit} bytes; send fewer rows per request.");
}
