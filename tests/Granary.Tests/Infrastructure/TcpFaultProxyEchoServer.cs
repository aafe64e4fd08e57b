using System.Net;
using System.Net.Sockets;

namespace Granary.Tests.Infrastructure;

/// <summary>
/// A loopback server that sends back every byte it receives, as the proxy's upstream in the proxy's own tests: what a
/// client reads back through the proxy is what crossed the proxy both ways.
/// </summary>
internal sealed class TcpFaultProxyEchoServer : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _echoes = [];
    private readonly Task _accepting;

    public TcpFaultProxyEchoServer()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(128);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        await _accepting;
        Task[] echoes;
        lock (_echoes)
        {
            echoes = [.. _echoes];
        }

        await Task.WhenAll(echoes);
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            lock (_echoes)
            {
                _echoes.Add(EchoAsync(socket));
            }
        }
    }

    private async Task EchoAsync(Socket socket)
    {
        using var _ = socket;
        var buffer = new byte[8192];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token);
                if (received == 0)
                {
                    socket.Shutdown(SocketShutdown.Send);
                    return;
                }

                for (var sent = 0; sent < received;)
                {
                    sent += await socket.SendAsync(buffer.AsMemory(sent, received - sent), SocketFlags.None, _stopping.Token);
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The proxy reset the connection, or the server is stopping.
        }
    }
}
