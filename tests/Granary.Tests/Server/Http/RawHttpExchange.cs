using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Granary.Tests.Server.Http;

/// <summary>What came back for one raw request: the status (0 when none), the body, and whether the answer was whole.</summary>
public readonly record struct RawResponse(int Status, byte[] Body, string ContentType, bool Complete, bool ServerCloses, string? Problem)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public System.Text.Json.JsonElement Json => System.Text.Json.JsonDocument.Parse(Body).RootElement.Clone();
}

/// <summary>
/// One HTTP/1.1 connection driven by hand, so that requests can be anything at all: broken framing, bytes that are
/// not UTF-8, headers a real client would never send. Reads each answer whole (Content-Length, chunked, or until the
/// server closes) within a deadline, and says when it was not whole.
/// </summary>
public sealed class RawHttpExchange : IDisposable
{
    private readonly IPEndPoint _endpoint;
    private readonly TimeSpan _deadline;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private Socket? _socket;
    private int _start;
    private int _end;

    public RawHttpExchange(Uri server, TimeSpan deadline)
    {
        _endpoint = new IPEndPoint(IPAddress.Parse(server.Host), server.Port);
        _deadline = deadline;
    }

    /// <summary>
    /// Sends <paramref name="request"/> as it is and reads one answer. <paramref name="fresh"/> sends it on a
    /// connection of its own, closed after the answer (a server may close after broken framing without saying so); <paramref name="closeSending"/> ends the sending side afterwards; <paramref name="expectContinue"/>
    /// sends the head alone (it should carry <c>Expect: 100-continue</c>) and the body only after <c>100 Continue</c>,
    /// as clients send large bodies: a server that refuses the head answers before any body is on the wire.
    /// </summary>
    public RawResponse Send(ReadOnlySpan<byte> request, bool fresh = false, bool closeSending = false, bool expectContinue = false)
    {
        if (fresh)
        {
            Reset();
        }

        var socket = Connect();
        var body = ReadOnlySpan<byte>.Empty;
        if (expectContinue)
        {
            var headEnd = request.IndexOf("\r\n\r\n"u8) + 4;
            body = request[headEnd..];
            request = request[..headEnd];
        }

        try
        {
            socket.Send(request);
            if (expectContinue)
            {
                var interim = Read(socket);
                if (interim.Status != 100)
                {
                    Reset();
                    return interim;
                }

                socket.Send(body);
            }

            if (closeSending)
            {
                socket.Shutdown(SocketShutdown.Send);
            }
        }
        catch (SocketException)
        {
            // The server may close while a body is still being sent; what it answered is read below.
        }

        var response = Read(socket);
        if (fresh || response.ServerCloses || !response.Complete || closeSending)
        {
            Reset();
        }

        return response;
    }

    public void Dispose() => Reset();

    private Socket Connect()
    {
        if (_socket is not null)
        {
            return _socket;
        }

        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(_endpoint);
        socket.ReceiveTimeout = (int)_deadline.TotalMilliseconds;
        _socket = socket;
        _start = _end = 0;
        return socket;
    }

    private void Reset()
    {
        _socket?.Dispose();
        _socket = null;
        _start = _end = 0;
    }

    private RawResponse Read(Socket socket)
    {
        try
        {
            var head = ReadLine(socket);
            if (head is null)
            {
                return Fail("the server closed the connection without answering");
            }

            var parts = head.Split(' ', 3);
            if (parts.Length < 2 || !parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || !int.TryParse(parts[1], out var status))
            {
                return Fail($"not a status line: '{head}'");
            }

            long length = -1;
            var chunked = false;
            var closes = false;
            var contentType = "";
            while (ReadLine(socket) is { Length: > 0 } header)
            {
                var colon = header.IndexOf(':');
                if (colon <= 0)
                {
                    return Fail($"not a header: '{header}'", status);
                }

                var name = header[..colon].Trim();
                var value = header[(colon + 1)..].Trim();
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    length = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                }
                else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                {
                    chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
                }
                else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                {
                    closes = value.Contains("close", StringComparison.OrdinalIgnoreCase);
                }
                else if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                {
                    contentType = value;
                }
            }

            using var body = new MemoryStream();
            if (chunked)
            {
                while (true)
                {
                    var sizeLine = ReadLine(socket) ?? throw new IOException("the chunked answer ended early");
                    var size = Convert.ToInt32(sizeLine.Split(';')[0].Trim(), 16);
                    if (size == 0)
                    {
                        while (ReadLine(socket) is { Length: > 0 })
                        {
                        }

                        break;
                    }

                    ReadExactly(socket, body, size);
                    ReadLine(socket);
                }
            }
            else if (length >= 0)
            {
                ReadExactly(socket, body, length);
            }
            else if (status is not (100 or 204 or 304))
            {
                ReadToClose(socket, body);
                closes = true;
            }

            return new RawResponse(status, body.ToArray(), contentType, true, closes, null);
        }
        catch (Exception e) when (e is IOException or SocketException or FormatException)
        {
            return Fail(e.Message);
        }
    }

    private static RawResponse Fail(string problem, int status = 0) => new(status, [], "", false, true, problem);

    private string? ReadLine(Socket socket)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var line = Encoding.Latin1.GetString(_buffer, _start, newline - _start).TrimEnd('\r');
                _start = newline + 1;
                return line;
            }

            if (!Fill(socket))
            {
                return null;
            }
        }
    }

    private void ReadExactly(Socket socket, Stream into, long count)
    {
        while (count > 0)
        {
            if (_start == _end && !Fill(socket))
            {
                throw new IOException($"the answer's body ended {count} bytes short");
            }

            var take = (int)Math.Min(count, _end - _start);
            into.Write(_buffer, _start, take);
            _start += take;
            count -= take;
        }
    }

    private void ReadToClose(Socket socket, Stream into)
    {
        do
        {
            into.Write(_buffer, _start, _end - _start);
            _start = _end;
        }
        while (Fill(socket));
    }

    /// <summary>Reads more bytes; false when the server closed. A deadline passing throws (the answer never came).</summary>
    private bool Fill(Socket socket)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        int read;
        try
        {
            read = socket.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            throw new IOException($"no answer within {_deadline.TotalSeconds:0} s");
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return false;
        }

        _end += read;
        return read > 0;
    }
}
