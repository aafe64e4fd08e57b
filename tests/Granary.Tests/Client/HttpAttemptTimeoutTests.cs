using System.Net;
using Granary.Client;

namespace Granary.Tests.Client;

/// <summary>
/// The HTTP transport's per-attempt timeout (HttpClient's own, set from <see cref="GranaryClientOptions.Timeout"/>)
/// covers the answer's headers and its body alike, fails as a transient <c>timeout</c> that is retried, and is told
/// apart from the caller's own cancellation. A stub handler stands in for the network.
/// </summary>
public sealed class HttpAttemptTimeoutTests
{
    private static readonly OnlineFeaturesRequest Request = OnlineFeaturesRequest.ForFeatures("v:f").AddEntity(("id", 1L));

    [Fact]
    public async Task A_server_that_sends_no_headers_times_out_and_is_retried()
    {
        using var handler = new StallingHandler(stallBody: false);
        using var client = Client(handler, retries: 1);

        var e = await Assert.ThrowsAsync<GranaryClientException>(() => client.GetOnlineFeaturesAsync(Request));

        Assert.Equal(GranaryClientException.TimeoutCode, e.Code);
        Assert.True(e.IsTransient);
        Assert.Equal(2, handler.Attempts);
    }

    [Fact]
    public async Task A_server_that_stalls_after_the_headers_times_out_too()
    {
        using var handler = new StallingHandler(stallBody: true);
        using var client = Client(handler, retries: 0);

        var e = await Assert.ThrowsAsync<GranaryClientException>(() => client.GetOnlineFeaturesAsync(Request).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(GranaryClientException.TimeoutCode, e.Code);
        Assert.Equal(1, handler.Attempts);
    }

    [Fact]
    public async Task The_callers_cancellation_is_a_cancellation_not_a_timeout()
    {
        using var handler = new StallingHandler(stallBody: false);
        using var client = Client(handler, retries: 3, timeout: TimeSpan.FromMinutes(5));
        using var cancel = new CancellationTokenSource();

        var read = client.GetOnlineFeaturesAsync(Request, cancel.Token);
        await handler.FirstAttempt.WaitAsync(TimeSpan.FromSeconds(30));
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, handler.Attempts);
    }

    private static GranaryClient Client(HttpMessageHandler handler, int retries, TimeSpan? timeout = null) => new(new GranaryClientOptions
    {
        BaseAddress = new Uri("http://stub.invalid"),
        HttpMessageHandler = handler,
        RetryCount = retries,
        RetryBaseDelay = TimeSpan.Zero,
        Timeout = timeout ?? TimeSpan.FromMilliseconds(200),
    });

    /// <summary>Never answers (or answers headers, then never the body) until the request is cancelled.</summary>
    private sealed class StallingHandler(bool stallBody) : HttpMessageHandler
    {
        private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public Task FirstAttempt => _first.Task;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _attempts);
            _first.TrySetResult();
            if (stallBody)
            {
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StallingContent() };
            }

            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("Not reached: the delay ends only by cancellation.");
        }
    }

    private sealed class StallingContent : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync("{\"metadata\""u8.ToArray(), cancellationToken);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
