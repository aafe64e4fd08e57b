using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Quality.Alerts;

/// <summary>A real HTTP endpoint on a free loopback port that records every JSON body posted to it.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public WebhookReceiver(HttpStatusCode answer = HttpStatusCode.OK)
    {
        Port = LoopbackPorts.Free();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using (var reader = new StreamReader(context.Request.InputStream))
                {
                    Received.Enqueue((context.Request.Url!.PathAndQuery, JsonNode.Parse(await reader.ReadToEndAsync())!));
                }

                context.Response.StatusCode = (int)answer;
                context.Response.Close();
            }
        });
    }

    public int Port { get; }

    public ConcurrentQueue<(string Path, JsonNode Body)> Received { get; } = new();

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
