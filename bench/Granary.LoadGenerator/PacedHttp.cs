using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Granary.LoadGenerator;

/// <summary>
/// The open-loop HTTP/1.1 generator: two threads and no thread pool. A sender thread sends request i at its due time on
/// a free keep-alive connection (blocking send of bytes prepared ahead), or queues it when all are busy; a receiver
/// thread waits on every connection at once (<see cref="Socket.Select"/>, one system call for however many answers
/// are ready), reads each answer by its Content-Length, and hands the connection the next queued request or back.
/// </summary>
/// <remarks>
/// It exists because the generator shares the two cores with the server it measures: with an async socket per
/// request (continuations on the thread pool, whose workers also spin while they wait for work), the generator took
/// most of a core at 36,000 requests/s, which the server then did not have, and the "latency at half of the maximum"
/// became the latency of a saturated machine. Latency still runs from the due time (no coordinated omission).
/// </remarks>
internal sealed class PacedHttp : IDisposable
{
    private readonly Connection[] _connections;
    private readonly Dictionary<Socket, int> _index = [];
    private readonly byte[][] _requests;
    private readonly Lock _gate = new();
    private readonly Stack<int> _free = new();
    private readonly Queue<int> _waiting = new();
    private long[] _due = [];
    private long[] _latency = [];
    private long[] _service = [];
    private long[] _lateness = [];
    private int _finished;

    private PacedHttp(Connection[] connections, byte[][] requests)
    {
        _connections = connections;
        _requests = requests;
        for (var c = connections.Length - 1; c >= 0; c--)
        {
            _free.Push(c);
            _index[connections[c].Socket] = c;
        }
    }

    /// <summary>Opens <paramref name="connections"/> connections to <paramref name="target"/>; request i posts <paramref name="bodies"/>[i modulo their count].</summary>
    public static PacedHttp Open(Uri target, byte[][] bodies, int connections)
    {
        var endpoint = new IPEndPoint(IPAddress.Parse(target.Host == "localhost" ? "127.0.0.1" : target.Host), target.Port);
        var open = new Connection[connections];
        for (var c = 0; c < connections; c++)
        {
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            socket.Connect(endpoint);
            open[c] = new Connection(socket);
        }

        return new PacedHttp(open, RawHttpConnections.Requests(target, bodies));
    }

    /// <summary>Offers <paramref name="rate"/> requests/s for <paramref name="warmup"/> + <paramref name="duration"/> seconds; the result line of the measured part.</summary>
    public string Run(string label, double rate, double duration, double warmup)
    {
        var total = (int)(rate * (warmup + duration));
        var first = (int)(rate * warmup);
        _due = new long[total];
        _latency = new long[total];
        _service = new long[total];
        _lateness = new long[total];
        _latency.AsSpan().Fill(-1);
        var start = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 100);
        for (var i = 0; i < total; i++)
        {
            _due[i] = start + (long)(i * (double)Stopwatch.Frequency / rate);
        }

        var receiver = new Thread(() => Receive(total)) { IsBackground = true, Name = "receiver", Priority = ThreadPriority.AboveNormal };
        var sender = new Thread(() => Send(total)) { IsBackground = true, Name = "sender", Priority = ThreadPriority.AboveNormal };
        receiver.Start();
        sender.Start();
        sender.Join();
        if (!receiver.Join(TimeSpan.FromSeconds(30)))
        {
            Volatile.Write(ref _finished, total);   // answers still missing count as errors
            receiver.Join();
        }

        // Service time and lateness of the answered requests only: one never sent or never answered has neither.
        var ok = new List<long>(total - first);
        var service = new List<long>(total - first);
        var lateness = new List<long>(total - first);
        for (var i = first; i < total; i++)
        {
            if (_latency[i] >= 0)
            {
                ok.Add(_latency[i]);
                service.Add(_service[i]);
                lateness.Add(_lateness[i]);
            }
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{label} | open loop, offered {rate:F0}/s, achieved {ok.Count / duration:F0}/s, errors {total - first - ok.Count} | from due time (ms): {LatencyStats.Percentiles([.. ok])} | service (ms): {LatencyStats.Percentiles([.. service])} | send lateness p99 {LatencyStats.Ms(LatencyStats.Percentile(LatencyStats.Sorted([.. lateness]), 0.99)):F3} ms");
    }

    public void Dispose()
    {
        foreach (var connection in _connections)
        {
            connection.Socket.Dispose();
        }
    }

    private void Send(int total)
    {
        for (var i = 0; i < total; i++)
        {
            Pacing.SleepUntil(_due[i]);

            var connection = -1;
            lock (_gate)
            {
                if (_waiting.Count > 50_000)
                {
                    // Hopelessly overloaded: stop offering; the rest count as failed.
                    Interlocked.Add(ref _finished, total - i);
                    return;
                }

                // A connection the server closed while it was free is still on the stack, marked dead: skip it.
                while (_free.TryPop(out var free))
                {
                    if (!_connections[free].Dead)
                    {
                        connection = free;
                        break;
                    }
                }

                if (connection < 0)
                {
                    _waiting.Enqueue(i);
                    continue;
                }
            }

            Start(connection, i);
        }
    }

    private void Start(int connection, int i)
    {
        var sent = Stopwatch.GetTimestamp();
        _lateness[i] = sent - _due[i];
        var state = _connections[connection];
        state.Begin(i, sent);
        try
        {
            state.Socket.Send(_requests[i % _requests.Length]);
        }
        catch (SocketException)
        {
            Finish(connection, reusable: false, ok: false);
        }
    }

    private void Receive(int total)
    {
        var readable = new List<Socket>(_connections.Length);
        while (Volatile.Read(ref _finished) < total)
        {
            readable.Clear();
            foreach (var connection in _connections)
            {
                if (!connection.Dead)
                {
                    readable.Add(connection.Socket);
                }
            }

            if (readable.Count == 0)
            {
                Interlocked.Exchange(ref _finished, total);
                return;
            }

            Socket.Select(readable, null, null, 10_000);
            foreach (var socket in readable)
            {
                ReadAvailable(_index[socket]);
            }
        }
    }

    private void ReadAvailable(int c)
    {
        var connection = _connections[c];
        try
        {
            if (connection.Read())
            {
                Finish(c, reusable: true, ok: connection.Succeeded);
            }
        }
        catch (Exception e) when (e is SocketException or IOException or FormatException)
        {
            Finish(c, reusable: false, ok: false);
        }
    }

    /// <summary>
    /// Records the outcome of the connection's request, if it has one (whichever thread claims it first), then gives
    /// a reusable connection the next waiting request or puts it back; one that is not reusable is dead from now on.
    /// </summary>
    private void Finish(int c, bool reusable, bool ok)
    {
        var connection = _connections[c];
        var i = connection.Claim();
        if (i < 0)
        {
            // Nothing was in flight (an idle connection closed, or the other thread finished it): already free or dead.
            connection.Dead |= !reusable;
            return;
        }

        var end = Stopwatch.GetTimestamp();
        _latency[i] = ok ? end - _due[i] : -1;
        _service[i] = end - connection.SentAt;
        Interlocked.Increment(ref _finished);
        if (!reusable)
        {
            connection.Dead = true;
            return;
        }

        int next;
        lock (_gate)
        {
            if (!_waiting.TryDequeue(out next))
            {
                _free.Push(c);
                return;
            }
        }

        Start(c, next);
    }

    private sealed class Connection(Socket socket)
    {
        private byte[] _buffer = new byte[64 * 1024];
        private int _received;
        private int _total = int.MaxValue;
        private int _request = -1;
        private volatile bool _dead;

        public Socket Socket { get; } = socket;

        public long SentAt { get; private set; }

        /// <summary>Closed by the server or failed: never used again.</summary>
        public bool Dead
        {
            get => _dead;
            set => _dead = value;
        }

        /// <summary>The answer's status is 2xx ("HTTP/1.1 200": its first digit).</summary>
        public bool Succeeded => _buffer[9] == (byte)'2';

        /// <summary>Makes <paramref name="request"/> the one in flight, sent at <paramref name="sentAt"/>.</summary>
        public void Begin(int request, long sentAt)
        {
            SentAt = sentAt;
            _received = 0;
            _total = int.MaxValue;
            Volatile.Write(ref _request, request);
        }

        /// <summary>The request in flight, now no longer in flight; -1 when there was none (or another thread took it).</summary>
        public int Claim() => Interlocked.Exchange(ref _request, -1);

        /// <summary>Reads what has arrived: true when the answer is whole; throws when the server closed the connection.</summary>
        public bool Read()
        {
            if (_received == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var read = Socket.Receive(_buffer, _received, _buffer.Length - _received, SocketFlags.None);
            if (read == 0)
            {
                throw new IOException("The server closed the connection.");
            }

            _received += read;
            if (_total == int.MaxValue && _buffer.AsSpan(0, _received).IndexOf("\r\n\r\n"u8) is >= 0 and var headerEnd)
            {
                _total = headerEnd + 4 + RawHttpConnections.ContentLength(_buffer.AsSpan(0, headerEnd));
            }

            return _received >= _total;
        }
    }
}
