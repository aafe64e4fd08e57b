using System.Net.Sockets;

namespace Granary.Tests.Infrastructure;

/// <summary>The two directions of a proxied connection.</summary>
internal enum TcpFaultDirection
{
    /// <summary>Client to server.</summary>
    Requests,

    /// <summary>Server to client.</summary>
    Replies,
}

/// <summary>
/// One connection through a <see cref="TcpFaultProxy"/>: the accepted client socket, the socket to the server, and
/// how many more bytes each direction may forward before the proxy cuts it.
/// </summary>
internal sealed class TcpFaultProxyConnection
{
    /// <summary>A budget that never runs out.</summary>
    public const long Unlimited = -1;

    private readonly CancellationTokenSource _cut;
    private readonly Lock _ending = new();
    private long _requestBudget;
    private long _replyBudget;
    private bool _reset;
    private bool _closed;

    public TcpFaultProxyConnection(Socket client, long requestBudget, long replyBudget, CancellationToken stopping)
    {
        Client = client;
        Upstream = new Socket(client.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        _cut = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        Token = _cut.Token;
        _requestBudget = requestBudget;
        _replyBudget = replyBudget;
    }

    public Socket Client { get; }

    public Socket Upstream { get; }

    /// <summary>Cancelled when the connection is reset (or the proxy stops): every pending operation on it ends.</summary>
    public CancellationToken Token { get; }

    /// <summary>The connection's work (connect, both pumps); complete once both sockets are closed.</summary>
    public Task Completion { get; set; } = Task.CompletedTask;

    public void Arm(TcpFaultDirection direction, long bytes) => Interlocked.Exchange(ref Budget(direction), bytes);

    /// <summary>How many of <paramref name="count"/> bytes may pass in <paramref name="direction"/>, taken from its budget.</summary>
    public int Take(TcpFaultDirection direction, int count)
    {
        ref var budget = ref Budget(direction);
        while (true)
        {
            var left = Interlocked.Read(ref budget);
            if (left == Unlimited)
            {
                return count;
            }

            var allowed = (int)Math.Min(left, count);
            if (Interlocked.CompareExchange(ref budget, left - allowed, left) == left)
            {
                return allowed;
            }
        }
    }

    /// <summary>True once a cut's budget is spent: the connection is to be reset.</summary>
    public bool Exhausted(TcpFaultDirection direction) => Interlocked.Read(ref Budget(direction)) == 0;

    /// <summary>Resets both sides (RST, not FIN: the peer sees "connection reset") and ends every pending operation.</summary>
    public void Reset()
    {
        lock (_ending)
        {
            if (_reset || _closed)
            {
                return;
            }

            _reset = true;
            Abort(Client);
            Abort(Upstream);
            _cut.Cancel();
        }
    }

    /// <summary>Releases both sockets once the connection's work is over; a later <see cref="Reset"/> does nothing.</summary>
    public void Close()
    {
        lock (_ending)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            Client.Dispose();
            Upstream.Dispose();
            _cut.Dispose();
        }
    }

    private ref long Budget(TcpFaultDirection direction) => ref direction == TcpFaultDirection.Replies ? ref _replyBudget : ref _requestBudget;

    private static void Abort(Socket socket)
    {
        try
        {
            // A zero linger makes the close send RST and drop whatever is still unsent.
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed by its peer or never connected: disposing it is all there is left to do.
        }

        socket.Dispose();
    }
}
