namespace Granary.Tests.Client;

/// <summary>
/// The client's handler in the integration tests: counts the requests it sends to the server and can interfere
/// after the server answered (to lose an answer that was applied, as a dropped connection does).
/// </summary>
internal sealed class CountingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    private int _requests;

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Runs after the server answered a request; what it throws reaches the client instead of the answer.</summary>
    public Func<HttpRequestMessage, HttpResponseMessage, Task>? AfterAnswer { get; set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        var response = await base.SendAsync(request, cancellationToken);
        if (AfterAnswer is { } after)
        {
            await after(request, response);
        }

        return response;
    }
}
