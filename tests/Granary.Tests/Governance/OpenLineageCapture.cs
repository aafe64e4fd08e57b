using System.Net;
using System.Text;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Governance;

/// <summary>
/// A local HTTP listener standing in for an OpenLineage consumer (Marquez's <c>/api/v1/lineage</c>): it records each
/// POST's path, content type and body, and answers <see cref="Status"/>.
/// </summary>
internal sealed class OpenLineageCapture : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public OpenLineageCapture(HttpStatusCode status = HttpStatusCode.Created)
    {
        Status = status;
        var port = LoopbackPorts.Free();
        Url = new Uri($"http://127.0.0.1:{port}/api/v1/lineage");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public Uri Url { get; }

    public HttpStatusCode Status { get; }

    public List<(string Method, string Path, string? ContentType, string Body)> Posts { get; } = [];

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener was closed under a pending accept: the loop's way of ending.
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            lock (Posts)
            {
                Posts.Add((context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.ContentType, body));
            }

            context.Response.StatusCode = (int)Status;
            var answer = Encoding.UTF8.GetBytes(Status == HttpStatusCode.Created ? "" : "{\"code\":422,\"message\":\"job name is invalid\"}");
            context.Response.ContentLength64 = answer.Length;
            await context.Response.OutputStream.WriteAsync(answer);
            context.Response.Close();
        }
    }
}
