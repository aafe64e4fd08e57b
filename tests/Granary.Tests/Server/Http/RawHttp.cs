using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Granary.Tests.Server.Http;

/// <summary>
/// HTTP/1.1 written byte by byte on a TCP socket, for requests no HTTP client sends: broken chunked framing, a body
/// that stops short of its Content-Length. Reads one response with its Content-Length.
/// </summary>
internal static class RawHttp
{
    /// <summary>One answered request.</summary>
    public sealed record Answer(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();
    }

    /// <summary>
    /// Sends <paramref name="head"/> (request line and headers, without the blank line) and then <paramref name="body"/>;
    /// with <paramref name="closeAfter"/> the client's side of the connection is then shut, as a client that gives up
    /// does. Fails after <paramref name="timeout"/> without a complete answer.
    /// </summary>
    public static async Task<Answer> SendAsync(Uri server, string head, string body, bool closeAfter, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, cancel.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Replace("\n", "\r\n", StringComparison.Ordinal) + "\r\n\r\n"), cancel.Token);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(body), cancel.Token);
        if (closeAfter)
        {
            client.Client.Shutdown(SocketShutdown.Send);
        }

        return await ReadAsync(stream, cancel.Token);
    }

    private static async Task<Answer> ReadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        int headEnd;
        while ((headEnd = IndexOf(received, "\r\n\r\n"u8)) < 0)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                throw new IOException($"The server closed the connection before a complete response: '{Encoding.UTF8.GetString([.. received])}'.");
            }

            received.AddRange(buffer.AsSpan(0, read));
        }

        var lines = Encoding.ASCII.GetString([.. received.Take(headEnd)]).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        var length = headers.TryGetValue("Content-Length", out var value) ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        while (received.Count < headEnd + 4 + length)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                throw new IOException($"The server closed the connection {headEnd + 4 + length - received.Count} bytes short of its Content-Length.");
            }

            received.AddRange(buffer.AsSpan(0, read));
        }

        return new Answer(status, headers, Encoding.UTF8.GetString([.. received.Skip(headEnd + 4).Take(length)]));
    }

    private static int IndexOf(List<byte> bytes, ReadOnlySpan<byte> pattern)
    {
        for (var i = 0; i + pattern.Length <= bytes.Count; i++)
        {
            var match = true;
            for (var j = 0; j < pattern.Length && match; j++)
            {
                match = bytes[i + j] == pattern[j];
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }
}
