using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Granary.Tests.Infrastructure;

/// <summary>The fault proxy itself, over an echo server: what it forwards, what it cuts, what it holds back, and that it lets go.</summary>
public sealed class TcpFaultProxyTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly TcpFaultProxyEchoServer _echo = new();
    private TcpFaultProxy _proxy = null!;

    public Task InitializeAsync()
    {
        _proxy = TcpFaultProxy.Start("127.0.0.1", _echo.Port);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _echo.DisposeAsync();
    }

    [Fact]
    public async Task Bytes_pass_through_unchanged_both_ways_on_many_connections_at_once()
    {
        const int Connections = 16;
        const int Bytes = 256 * 1024;

        var exchanges = Enumerable.Range(0, Connections).Select(async seed =>
        {
            var sent = new byte[Bytes];
            new Random(seed).NextBytes(sent);
            using var socket = await ConnectAsync();

            // Written in uneven pieces while the echo is read back, so both directions are busy at once.
            var writing = Task.Run(async () =>
            {
                var random = new Random(seed + 1000);
                for (var offset = 0; offset < Bytes;)
                {
                    var piece = Math.Min(random.Next(1, 20_000), Bytes - offset);
                    offset += await socket.SendAsync(sent.AsMemory(offset, piece), SocketFlags.None);
                }
            });
            var received = await ReadExactlyAsync(socket, Bytes);
            await writing;
            return (Sent: sent, Received: received);
        }).ToList();

        foreach (var (sent, received) in await Task.WhenAll(exchanges))
        {
            Assert.Equal(sent, received);
        }

        Assert.Equal(Connections, _proxy.Accepted);
    }

    [Fact]
    public async Task A_reply_cut_after_n_bytes_delivers_exactly_those_bytes_then_a_reset()
    {
        using var socket = await ConnectAsync();
        await EchoAsync(socket, [1, 2, 3]);
        _proxy.CutRepliesAfter(1000);

        var sent = new byte[5000];
        new Random(7).NextBytes(sent);
        await socket.SendAsync(sent, SocketFlags.None);
        var (received, end) = await ReadUntilEndAsync(socket);

        Assert.Equal(sent[..1000], received);
        Assert.Equal(SocketError.ConnectionReset, end);
    }

    [Fact]
    public async Task A_request_cut_after_n_bytes_lets_only_those_bytes_reach_the_server()
    {
        using var socket = await ConnectAsync();
        _proxy.CutRequestsAfter(300);

        var sent = new byte[2000];
        new Random(8).NextBytes(sent);
        await socket.SendAsync(sent, SocketFlags.None);
        var (received, end) = await ReadUntilEndAsync(socket);

        // The echo can only send back what reached it, and it may not have sent all of it before the reset.
        Assert.True(received.Length <= 300, $"{received.Length} bytes came back, more than the 300 let through.");
        Assert.Equal(sent[..received.Length], received);
        Assert.Equal(SocketError.ConnectionReset, end);
    }

    [Fact]
    public async Task A_delay_holds_each_reply_back_by_at_least_the_delay_and_restore_lifts_it()
    {
        using var socket = await ConnectAsync();
        _proxy.Delay(TimeSpan.FromMilliseconds(400));

        var started = Stopwatch.GetTimestamp();
        await EchoAsync(socket, [4, 5, 6]);
        var delayed = Stopwatch.GetElapsedTime(started);
        _proxy.Restore();
        started = Stopwatch.GetTimestamp();
        await EchoAsync(socket, [7, 8, 9]);
        var restored = Stopwatch.GetElapsedTime(started);

        Assert.True(delayed >= TimeSpan.FromMilliseconds(400), $"The reply came after {delayed.TotalMilliseconds} ms, before the 400 ms delay.");
        Assert.True(restored < delayed, $"After restore the reply took {restored.TotalMilliseconds} ms, no faster than the delayed {delayed.TotalMilliseconds} ms.");
    }

    [Fact]
    public async Task A_blackhole_accepts_but_answers_nothing_until_restore_delivers_the_held_bytes_intact()
    {
        using var live = await ConnectAsync();
        await EchoAsync(live, [1]);
        _proxy.Blackhole();
        using var fresh = await ConnectAsync();
        await live.SendAsync(new byte[] { 10, 11 }, SocketFlags.None);
        await fresh.SendAsync(new byte[] { 20, 21, 22 }, SocketFlags.None);

        var liveReply = ReadExactlyAsync(live, 2);
        var freshReply = ReadExactlyAsync(fresh, 3);
        await Task.Delay(300);
        Assert.False(liveReply.IsCompleted || freshReply.IsCompleted, "A reply came through the blackhole.");

        _proxy.Restore();
        Assert.Equal([10, 11], await liveReply.WaitAsync(Patience));
        Assert.Equal([20, 21, 22], await freshReply.WaitAsync(Patience));
    }

    [Fact]
    public async Task Refuse_turns_new_connections_away_keeps_live_ones_and_restore_lets_new_ones_in_on_the_same_port()
    {
        using var live = await ConnectAsync();
        _proxy.Refuse();

        var refused = await Assert.ThrowsAsync<SocketException>(async () => (await ConnectAsync()).Dispose());
        await EchoAsync(live, [1, 2]);
        _proxy.Restore();
        using var after = await ConnectAsync();
        await EchoAsync(after, [3, 4]);

        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task Cut_all_resets_every_live_connection_and_the_next_connection_passes()
    {
        using var first = await ConnectAsync();
        using var second = await ConnectAsync();
        await EchoAsync(first, [1]);
        await EchoAsync(second, [2]);

        _proxy.CutAll();
        var (_, firstEnd) = await ReadUntilEndAsync(first);
        var (_, secondEnd) = await ReadUntilEndAsync(second);
        using var next = await ConnectAsync();
        await EchoAsync(next, [3]);

        Assert.Equal(SocketError.ConnectionReset, firstEnd);
        Assert.Equal(SocketError.ConnectionReset, secondEnd);
    }

    [Fact]
    public async Task Dispose_resets_live_connections_ends_every_pump_and_stops_listening()
    {
        using var live = await ConnectAsync();
        await EchoAsync(live, [1]);
        _proxy.Blackhole();
        using var held = await ConnectAsync();

        await _proxy.DisposeAsync().AsTask().WaitAsync(Patience);
        var (_, end) = await ReadUntilEndAsync(live);
        var refused = await Assert.ThrowsAsync<SocketException>(async () => (await ConnectAsync()).Dispose());

        Assert.Equal(0, _proxy.Live);
        Assert.Equal(SocketError.ConnectionReset, end);
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    private async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _proxy.Port));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task EchoAsync(Socket socket, byte[] bytes)
    {
        await socket.SendAsync(bytes, SocketFlags.None);
        Assert.Equal(bytes, await ReadExactlyAsync(socket, bytes.Length).WaitAsync(Patience));
    }

    private static async Task<byte[]> ReadExactlyAsync(Socket socket, int count)
    {
        var buffer = new byte[count];
        for (var read = 0; read < count;)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None);
            if (n == 0)
            {
                throw new EndOfStreamException($"The connection closed after {read} of {count} bytes.");
            }

            read += n;
        }

        return buffer;
    }

    /// <summary>Everything the socket delivers until it ends, and how it ended (Success for an orderly close).</summary>
    private static async Task<(byte[] Received, SocketError End)> ReadUntilEndAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (n == 0)
                {
                    return (received.ToArray(), SocketError.Success);
                }

                received.Write(buffer, 0, n);
            }
        }
        catch (SocketException e)
        {
            return (received.ToArray(), e.SocketErrorCode);
        }
    }
}
