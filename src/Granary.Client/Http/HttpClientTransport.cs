using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace Granary.Client.Http;

/// <summary>
/// Feast's HTTP API over one pooled <see cref="HttpClient"/>: one attempt per call, bounded by the options' timeout
/// (HttpClient's own, set by <see cref="HttpClientFactory"/>).
/// Every failure leaves as a <see cref="GranaryClientException"/>: the server's refusal with its code, or the
/// client's own code for a connection failure, a timeout or an answer it cannot read.
/// </summary>
internal sealed class HttpClientTransport : IClientTransport
{
    /// <summary>The header that makes a push or write safe to send again (the server answers a repeat from memory).</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    // Parsed once: the feature calls' paths never change.
    private static readonly Uri OnlineFeaturesPath = new("get-online-features", UriKind.Relative);
    private static readonly Uri PushPath = new("push", UriKind.Relative);
    private static readonly Uri WritePath = new("write-to-online-store", UriKind.Relative);
    private static readonly Uri HealthPath = new("health", UriKind.Relative);

    private readonly HttpClient _http;

    // Absolute, resolved once: a relative request URI makes HttpClient parse base + path into a new Uri per request.
    private readonly Uri _onlineFeaturesAddress;
    private readonly Uri _pushAddress;
    private readonly Uri _writeAddress;
    private readonly Uri _healthAddress;
    private readonly TimeSpan _timeout;

    public HttpClientTransport(GranaryClientOptions options)
    {
        _http = HttpClientFactory.Create(options);
        _timeout = options.Timeout;
        _onlineFeaturesAddress = new Uri(_http.BaseAddress!, OnlineFeaturesPath);
        _pushAddress = new Uri(_http.BaseAddress!, PushPath);
        _writeAddress = new Uri(_http.BaseAddress!, WritePath);
        _healthAddress = new Uri(_http.BaseAddress!, HealthPath);
    }

    public Task<OnlineFeatures> GetOnlineFeaturesAsync(OnlineFeaturesRequest batch, CancellationToken cancellationToken) =>
        SendAsync(
            OnlineFeaturesPath,
            _onlineFeaturesAddress,
            batch,
            static (output, request) => HttpRequestWriter.WriteOnlineFeatures(output, request),
            static (body, request) => OnlineFeaturesResponseReader.Read(body.Span, request),
            idempotencyKey: null,
            cancellationToken);

    public Task<PushResult> PushAsync(PushRequest request, CancellationToken cancellationToken) =>
        SendAsync(
            PushPath,
            _pushAddress,
            request,
            static (output, request) => HttpRequestWriter.WritePush(output, request),
            static (body, _) => ResultReaders.ReadPush(body.Span),
            request.IdempotencyKey,
            cancellationToken);

    public Task<WriteResult> WriteToOnlineStoreAsync(WriteToOnlineStoreRequest request, CancellationToken cancellationToken) =>
        SendAsync(
            WritePath,
            _writeAddress,
            request,
            static (output, request) => HttpRequestWriter.WriteToOnlineStore(output, request),
            static (body, _) => ResultReaders.ReadWrite(body.Span),
            request.IdempotencyKey,
            cancellationToken);

    public Task<HealthResult> CheckHealthAsync(CancellationToken cancellationToken) =>
        SendAsync<object?, HealthResult>(HealthPath, _healthAddress, null, writeBody: null, static (body, _) => ResultReaders.ReadHealth(body.Span), idempotencyKey: null, cancellationToken);

    /// <summary>A GET of <paramref name="path"/> (the registry's views), its answer read by <paramref name="read"/>.</summary>
    public Task<T> GetAsync<TState, T>(string path, TState state, Func<ReadOnlyMemory<byte>, TState, T> read, CancellationToken cancellationToken)
    {
        var relative = new Uri(path, UriKind.Relative);
        return SendAsync(relative, relative, state, writeBody: null, read, idempotencyKey: null, cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    private async Task<T> SendAsync<TState, T>(
        Uri path,
        Uri address,
        TState state,
        Action<IBufferWriter<byte>, TState>? writeBody,
        Func<ReadOnlyMemory<byte>, TState, T> read,
        string? idempotencyKey,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(writeBody is null ? HttpMethod.Get : HttpMethod.Post, address);
        if (writeBody is not null)
        {
            // Owned by the request from here, so that its pooled buffer goes back even when writing fails.
            var body = new PooledJsonContent();
            request.Content = body;
            writeBody(body, state);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation(IdempotencyKeyHeader, idempotencyKey);
        }

        // The attempt's timeout is HttpClient's own (HttpClientFactory sets it to the options' Timeout), and the
        // answer is buffered inside SendAsync, so the timeout covers the whole answer without a second token source
        // and timer per attempt.
        HttpStatusCode status;
        byte[] answer;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            status = response.StatusCode;
#if NET
            answer = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
#else
            answer = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
#endif
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException && !cancellationToken.IsCancellationRequested)
        {
            throw new GranaryClientException(
                GranaryClientException.TimeoutCode, $"The server did not answer {path} within {_timeout.TotalSeconds:0.###} s.", httpStatus: null, isTransient: true, mayHaveReachedServer: true, e);
        }
        catch (HttpRequestException e)
        {
            throw ConnectionFailed(path, e);
        }
        catch (IOException e)
        {
            throw new GranaryClientException(
                GranaryClientException.UnavailableCode, $"The connection to the server broke during {path}: {e.Message}", httpStatus: null, isTransient: true, mayHaveReachedServer: true, e);
        }

        if ((int)status is >= 200 and < 300)
        {
            return read(answer, state);
        }

        throw Refused(path, (int)status, answer);
    }

    private GranaryClientException ConnectionFailed(Uri path, HttpRequestException e)
    {
        var neverSent = NeverSent(e);
        return new GranaryClientException(
            GranaryClientException.UnavailableCode,
            $"The server at {_http.BaseAddress} could not be reached for {path}: {e.Message}",
            httpStatus: null,
            isTransient: true,
            mayHaveReachedServer: !neverSent,
            e);
    }

    // A connection that was never made (refused, no such host) carried no request: even a push may go again.
    private static bool NeverSent(HttpRequestException e)
    {
#if NET
        if (e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            return true;
        }
#endif
        return e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.HostUnreachable or SocketError.NetworkUnreachable };
    }

    private static GranaryClientException Refused(Uri path, int status, byte[] body)
    {
        var transient = status == (int)HttpStatusCode.ServiceUnavailable;
        if (ResultReaders.ReadError(body) is var (code, detail))
        {
            return new GranaryClientException(code, detail, status, transient, mayHaveReachedServer: true);
        }

        var fallback = transient ? GranaryClientException.UnavailableCode : GranaryClientException.InvalidResponseCode;
        return new GranaryClientException(
            fallback, $"The server answered {path} with HTTP {status} and no Granary error: {ResultReaders.Excerpt(body)}", status, transient, mayHaveReachedServer: true);
    }
}
