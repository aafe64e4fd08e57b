using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Granary.LoadGenerator;

/// <summary>
/// The open-loop generator's HTTP/1.1 client: a fixed set of keep-alive connections over raw sockets, each sending a
/// request prepared ahead (headers and body in one buffer) and reading the answer by its Content-Length, one request
/// in flight per connection (no pipelining), as wrk does. It exists because on two shared cores the generator's own
/// CPU is the measurement's floor: <see cref="HttpClient"/> spends several times more per request than this, and
/// what the generator spends the server cannot.
/// </summary>
internal sealed class RawHttpConnections : IDisposable
{
    private readonly Channel<Connection> _free;
    private readonly List<Connection> _all = [];
    private readonly byte[][] _requests;

    private RawHttpConnections(byte[][] requests, int connections)
    {
        _requests = requests;
        _free = Channel.CreateBounded<Connection>(connections);
    }

    /// <summary>Opens <paramref name="connections"/> connections to <paramref name="target"/>; each request is a POST of one of <paramref name="bodies"/>.</summary>
    public static async Task<RawHttpConnections> OpenAsync(Uri target, byte[][] bodies, int connections)
    {
        var pool = new RawHttpConnections(Requests(target, bodies), connections);
        for (var c = 0; c < connections; c++)
        {
            var connection = await Connection.OpenAsync(target);
            pool._all.Add(connection);
            pool._free.Writer.TryWrite(connection);
        }

        return pool;
    }

    /// <summary>Each body as a whole HTTP/1.1 POST to <paramref name="target"/>: headers and body in one buffer.</summary>
    public static byte[][] Requests(Uri target, byte[][] bodies)
    {
        var head = $"POST {target.PathAndQuery} HTTP/1.1\r\nHost: {target.Authority}\r\nContent-Type: application/json\r\nContent-Length: ";
        return [.. bodies.Select(body => Encoding.ASCII.GetBytes($"{head}{body.Length}\r\n\r\n").Concat(body).ToArray())];
    }

    /// <summary>The Content-Length of an answer's headers, read from the bytes (no string per answer); answers without one (chunked) are not supported here.</summary>
    public static int ContentLength(ReadOnlySpan<byte> headers)
    {
        ReadOnlySpan<byte> name = "content-length:"u8;
        var rest = headers;
        while (rest.IndexOf("\r\n"u8) is >= 0 and var lineEnd)
        {
            rest = rest[(lineEnd + 2)..];
            if (rest.Length > name.Length && Ascii.EqualsIgnoreCase(rest[..name.Length], name))
            {
                var value = rest[name.Length..];
                value = value[..(value.IndexOf("\r\n"u8) is >= 0 and var end ? end : value.Length)].Trim((byte)' ');
                if (Utf8Parser.TryParse(value, out int length, out var consumed) && consumed == value.Length)
                {
                    return length;
                }

                throw new IOException($"The answer's Content-Length '{Encoding.ASCII.GetString(value)}' is not a number.");
            }
        }

        throw new IOException("The answer has no Content-Length (chunked answers are not supported here).");
    }

    /// <summary>Sends request <paramref name="i"/> (modulo the prepared ones) on the next free connection; true on a 2xx answer.</summary>
    public async Task<bool> SendAsync(int i)
    {
        var connection = await _free.Reader.ReadAsync();
        try
        {
            return await connection.ExchangeAsync(_requests[i % _requests.Length]);
        }
        finally
        {
            _free.Writer.TryWrite(connection);
        }
    }

    public void Dispose()
    {
        foreach (var connection in _all)
        {
            connection.Socket.Dispose();
        }
    }

    /// <summary>One keep-alive connection: sends a whole request, reads its answer by Content-Length.</summary>
    internal sealed class Connection(Socket socket)
    {
        private byte[] _buffer = new byte[64 * 1024];
        private int _answerLength;

        public Socket Socket { get; } = socket;

        public static async Task<Connection> OpenAsync(Uri target)
        {
            var endpoint = new IPEndPoint(IPAddress.Parse(target.Host == "localhost" ? "127.0.0.1" : target.Host), target.Port);
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(endpoint);
            return new Connection(socket);
        }

        /// <summary>The last answer's bytes (headers and body), valid until the next exchange.</summary>
        public ReadOnlySpan<byte> Answer => _buffer.AsSpan(0, _answerLength);

        /// <summary>Sends <paramref name="request"/> and reads the whole answer; true on a 2xx status.</summary>
        public async Task<bool> ExchangeAsync(ReadOnlyMemory<byte> request)
        {
            await Socket.SendAsync(request, SocketFlags.None);
            var received = 0;
            var headerEnd = -1;
            var total = int.MaxValue;
            while (received < total)
            {
                if (received == _buffer.Length)
                {
                    Array.Resize(ref _buffer, _buffer.Length * 2);
                }

                var read = await Socket.ReceiveAsync(_buffer.AsMemory(received), SocketFlags.None);
                if (read == 0)
                {
                    throw new IOException("The server closed the connection.");
                }

                received += read;
                if (headerEnd < 0 && (headerEnd = _buffer.AsSpan(0, received).IndexOf("\r\n\r\n"u8)) >= 0)
                {
                    total = headerEnd + 4 + ContentLength(_buffer.AsSpan(0, headerEnd));
                }
            }

            _answerLength = total;
            // "HTTP/1.1 200 OK": the status code's first digit.
            return _buffer[9] == (byte)'2';
        }
    }
}
