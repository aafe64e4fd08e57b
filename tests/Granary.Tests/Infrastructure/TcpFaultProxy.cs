using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Granary.Tests.Infrastructure;

/// <summary>
/// A TCP proxy on a loopback port between a driver under test (StackExchange.Redis, Npgsql) and a real server, which
/// a test switches between faults at any moment: <see cref="Delay"/> replies, <see cref="Blackhole"/> (connections are
/// accepted and bytes are held, nothing is answered), <see cref="Refuse"/> new connections, cut replies or requests
/// after a number of bytes (<see cref="CutRepliesAfter"/>, <see cref="CutRequestsAfter"/>), reset every live
/// connection (<see cref="CutAll"/>), and <see cref="Restore"/> plain forwarding.
/// </summary>
/// <remarks>
/// Fully asynchronous: one accept loop, and per connection two pumps (one per direction) awaiting socket operations,
/// so a hundred connections cost no thread each. <see cref="DisposeAsync"/> stops listening, resets every connection
/// and waits for every pump, so nothing of a test outlives it. Delays are real time on purpose: the drivers on the
/// other side time out on the real clock, and what a test checks is how Granary meets those timeouts.
/// </remarks>
internal sealed class TcpFaultProxy : IAsyncDisposable
{
    private const int BufferSize = 16 * 1024;

    private readonly IPEndPoint _upstream;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<TcpFaultProxyConnection, byte> _connections = new();
    private readonly Lock _state = new();
    private Socket? _listener;
    private Task _accepting = Task.CompletedTask;
    private TaskCompletionSource _open = Opened();
    private long _delayTicks;
    private long _requestBudget = TcpFaultProxyConnection.Unlimited;
    private long _replyBudget = TcpFaultProxyConnection.Unlimited;
    private long _requestBytes;
    private long _replyBytes;
    private int _accepted;
    private bool _disposed;

    private TcpFaultProxy(IPEndPoint upstream)
    {
        _upstream = upstream;
    }

    /// <summary>The loopback port the proxy listens on; it keeps it across <see cref="Refuse"/> and <see cref="Restore"/>.</summary>
    public int Port { get; private set; }

    /// <summary><c>127.0.0.1:port</c>, for a Redis connection string.</summary>
    public string Endpoint => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>How many connections the proxy has accepted since it started.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>How many bytes the proxy has forwarded from clients to the server, over all connections.</summary>
    public long RequestBytes => Interlocked.Read(ref _requestBytes);

    /// <summary>How many bytes the proxy has forwarded from the server to clients, over all connections.</summary>
    public long ReplyBytes => Interlocked.Read(ref _replyBytes);

    /// <summary>How many connections are open through the proxy now.</summary>
    public int Live => _connections.Count;

    /// <summary>Starts a proxy to <paramref name="host"/>:<paramref name="port"/> on a port of its own, forwarding plainly.</summary>
    public static TcpFaultProxy Start(string host, int port)
    {
        // Bound to port 0, the kernel picks a free port atomically: no window in which another process could take it.
        var proxy = new TcpFaultProxy(new IPEndPoint(IPAddress.Parse(host), port));
        proxy.Listen(0);
        return proxy;
    }

    /// <summary>Holds back every chunk of every reply (server to client) by <paramref name="delay"/> before forwarding it.</summary>
    public void Delay(TimeSpan delay) => Interlocked.Exchange(ref _delayTicks, delay.Ticks);

    /// <summary>
    /// Stops all traffic: new connections are accepted but never connected upstream, and bytes on live connections
    /// stay where they are (unread, unsent), as behind a network partition. <see cref="Restore"/> lets them flow on.
    /// </summary>
    public void Blackhole()
    {
        lock (_state)
        {
            if (_open.Task.IsCompleted)
            {
                _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>Stops listening, so that new connections are refused (ECONNREFUSED); live connections carry on.</summary>
    public void Refuse()
    {
        lock (_state)
        {
            _listener?.Dispose();
            _listener = null;
        }
    }

    /// <summary>
    /// Lets each connection, live or new, forward <paramref name="bytes"/> more bytes of replies, then resets it (both
    /// sides): a server that dies in the middle of an answer. Stays on until <see cref="Restore"/>.
    /// </summary>
    public void CutRepliesAfter(long bytes) => Arm(TcpFaultDirection.Replies, bytes);

    /// <summary>As <see cref="CutRepliesAfter"/>, for the client's bytes to the server: a connection lost mid-request.</summary>
    public void CutRequestsAfter(long bytes) => Arm(TcpFaultDirection.Requests, bytes);

    /// <summary>Resets every live connection now (RST to both sides); new connections are served as the mode says.</summary>
    public void CutAll()
    {
        foreach (var connection in _connections.Keys)
        {
            connection.Reset();
        }
    }

    /// <summary>Back to plain forwarding: no delay, no cut, listening again, and held bytes flow on.</summary>
    public void Restore()
    {
        Delay(TimeSpan.Zero);
        Arm(TcpFaultDirection.Requests, TcpFaultProxyConnection.Unlimited);
        Arm(TcpFaultDirection.Replies, TcpFaultProxyConnection.Unlimited);
        lock (_state)
        {
            _open.TrySetResult();
            if (_listener is null && !_disposed)
            {
                Listen(Port);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_state)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _listener?.Dispose();
            _listener = null;
        }

        await _stopping.CancelAsync();

        // Once the accept loop has ended no connection can be added, so the snapshot below is every one there is.
        await _accepting;
        var connections = _connections.Keys.ToList();
        foreach (var connection in connections)
        {
            connection.Reset();
        }

        await Task.WhenAll(connections.Select(c => c.Completion));
        _stopping.Dispose();
    }

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private void Arm(TcpFaultDirection direction, long bytes)
    {
        Interlocked.Exchange(ref direction == TcpFaultDirection.Replies ? ref _replyBudget : ref _requestBudget, bytes);
        foreach (var connection in _connections.Keys)
        {
            connection.Arm(direction, bytes);
        }
    }

    // Called under _state (or before the proxy is shared).
    private void Listen(int port)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // Rebinding the port after Refuse while connections accepted on it are still open needs SO_REUSEADDR.
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            listener.Listen(128);
        }
        catch (SocketException e)
        {
            listener.Dispose();
            throw new InvalidOperationException($"The fault proxy could not listen on 127.0.0.1:{port}: {e.SocketErrorCode}.", e);
        }

        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        _listener = listener;
        var previous = _accepting;
        _accepting = Task.WhenAll(previous, AcceptAsync(listener));
    }

    private async Task AcceptAsync(Socket listener)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // Refuse or dispose closed the listener.
                return;
            }

            Interlocked.Increment(ref _accepted);
            var connection = new TcpFaultProxyConnection(client, Volatile.Read(ref _requestBudget), Volatile.Read(ref _replyBudget), _stopping.Token);
            _connections[connection] = 0;
            connection.Completion = RunAsync(connection);
        }
    }

    private async Task RunAsync(TcpFaultProxyConnection connection)
    {
        try
        {
            // A blackhole accepts (the kernel does) and then does nothing at all, not even reach the server.
            await WaitOpenAsync(connection.Token);
            await connection.Upstream.ConnectAsync(_upstream, connection.Token);
        }
        catch (Exception e) when (IsConnectionEnd(e))
        {
            // The server is not there (or the proxy is stopping): the client sees its connection reset.
            connection.Reset();
            connection.Close();
            _connections.TryRemove(connection, out _);
            return;
        }

        await Task.WhenAll(
            PumpAsync(connection, connection.Client, connection.Upstream, TcpFaultDirection.Requests),
            PumpAsync(connection, connection.Upstream, connection.Client, TcpFaultDirection.Replies));
        connection.Close();
        _connections.TryRemove(connection, out _);
    }

    private async Task PumpAsync(TcpFaultProxyConnection connection, Socket from, Socket to, TcpFaultDirection direction)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var token = connection.Token;
        try
        {
            while (true)
            {
                await WaitOpenAsync(token);
                var received = await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, token);
                if (received == 0)
                {
                    // An orderly close of one side travels on as one; the other direction keeps flowing.
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                var delay = Interlocked.Read(ref _delayTicks);
                if (direction == TcpFaultDirection.Replies && delay > 0)
                {
                    // Timers may fire a fraction of a millisecond early by the stopwatch's clock: wait out the rest,
                    // so a reply is held at least the delay.
                    var arrived = Stopwatch.GetTimestamp();
                    for (var left = TimeSpan.FromTicks(delay); left > TimeSpan.Zero; left = TimeSpan.FromTicks(delay) - Stopwatch.GetElapsedTime(arrived))
                    {
                        await Task.Delay(left < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : left, token);
                    }
                }

                // A blackhole that began while this chunk was on its way holds the chunk too.
                await WaitOpenAsync(token);
                var allowed = connection.Take(direction, received);
                for (var sent = 0; sent < allowed;)
                {
                    sent += await to.SendAsync(buffer.AsMemory(sent, allowed - sent), SocketFlags.None, token);
                }

                Interlocked.Add(ref direction == TcpFaultDirection.Replies ? ref _replyBytes : ref _requestBytes, allowed);

                if (connection.Exhausted(direction))
                {
                    connection.Reset();
                    return;
                }
            }
        }
        catch (Exception e) when (IsConnectionEnd(e))
        {
            // Either side reset, or the proxy cut or stopped: the other side learns it the same abrupt way.
            connection.Reset();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private Task WaitOpenAsync(CancellationToken token)
    {
        var open = Volatile.Read(ref _open).Task;
        return open.IsCompleted ? Task.CompletedTask : open.WaitAsync(token);
    }

    private static bool IsConnectionEnd(Exception e) => e is SocketException or ObjectDisposedException or OperationCanceledException or IOException;
}
