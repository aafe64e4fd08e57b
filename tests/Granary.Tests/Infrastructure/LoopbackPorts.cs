using System.Net;
using System.Net.Sockets;

namespace Granary.Tests.Infrastructure;

/// <summary>Free TCP ports on 127.0.0.1 for servers the tests start.</summary>
internal static class LoopbackPorts
{
    /// <summary>
    /// A port nothing listened on a moment ago. Another process may still take it before the server binds, so
    /// callers retry with a new port when the server reports the address in use.
    /// </summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
