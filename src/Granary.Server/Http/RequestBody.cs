using System.Buffers;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Granary.Server.Http;

/// <summary>
/// A whole request body in one pooled buffer, read up to the configured limit: a body not declared JSON is refused
/// with <c>unsupported_media_type</c>, one that says or turns out to be larger with <c>payload_too_large</c>, both
/// before it is parsed. Dispose returns the buffer.
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
        if (!IsJson(request.ContentType))
        {
            throw NotJson(request.ContentType);
        }

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
        catch (Exception e)
        {
            body.Dispose();
            if (ReadFailure(e, limit, cancellationToken) is { } failure)
            {
                throw failure;
            }

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

    /// <summary>
    /// Whether a Content-Type declares JSON in UTF-8: <c>application/json</c>, any case, with parameters allowed and a
    /// charset, if given, of <c>utf-8</c>. Checked on the string as it is, with no parsing: it is on every request.
    /// </summary>
    internal static bool IsJson(string? contentType)
    {
        var value = contentType.AsSpan().Trim();
        if (!value.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var parameters = value["application/json".Length..].TrimStart();
        if (parameters.IsEmpty)
        {
            return true;
        }

        if (parameters[0] != ';')
        {
            return false;
        }

        var charset = parameters.IndexOf("charset=", StringComparison.OrdinalIgnoreCase);
        if (charset < 0)
        {
            return true;
        }

        var name = parameters[(charset + "charset=".Length)..];
        var end = name.IndexOf(';');
        name = (end < 0 ? name : name[..end]).Trim().Trim('"');
        return name.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || name.Equals("utf8", StringComparison.OrdinalIgnoreCase);
    }

    internal static GranaryException NotJson(string? contentType) => new(
        ErrorCodes.UnsupportedMediaType,
        string.IsNullOrWhiteSpace(contentType)
            ? "The request has no Content-Type; send the JSON body with 'Content-Type: application/json'."
            : $"The request's Content-Type is '{contentType}'; send the JSON body, in UTF-8, with 'Content-Type: application/json'.");

    // Kestrel found the body's framing broken while it was read (BadHttpRequestException with the status it means, or
    // a plain IOException for a chunk size that overflows); the connection is closed after the answer. An IOException
    // of a read the client cancelled by going away is not the caller's mistake and stays as it is.
    private static GranaryException? ReadFailure(Exception e, long limit, CancellationToken cancellationToken) => e switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => TooLarge(limit),
        BadHttpRequestException { StatusCode: StatusCodes.Status408RequestTimeout } => new GranaryException(
            ErrorCodes.RequestTimeout, "The request body stopped arriving before it was complete; send it whole, as its Content-Length says."),
        BadHttpRequestException => Malformed(e),
        IOException when !cancellationToken.IsCancellationRequested => Malformed(e),
        _ => null,
    };

    private static GranaryException Malformed(Exception e) =>
        new(ErrorCodes.MalformedBody, $"The request body's framing is broken: {e.Message}");

    private static GranaryException TooLarge(long limit) =>
        new(ErrorCodes.PayloadTooLarge, $"The request body is larger than the server's limit of {limit} bytes; send fewer rows per request.");
}
