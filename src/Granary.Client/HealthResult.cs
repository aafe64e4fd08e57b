namespace Granary.Client;

/// <summary>A healthy server's answer to <c>GET /health</c>; an unhealthy one fails the call with its error code.</summary>
public sealed class HealthResult
{
    internal HealthResult(string status, string project, long registryVersion, string onlineStore)
    {
        Status = status;
        Project = project;
        RegistryVersion = registryVersion;
        OnlineStore = onlineStore;
    }

    /// <summary><c>ok</c>.</summary>
    public string Status { get; }

    /// <summary>The project served.</summary>
    public string Project { get; }

    /// <summary>The registry version the server reads; 0 before the first apply.</summary>
    public long RegistryVersion { get; }

    /// <summary>The online store's name.</summary>
    public string OnlineStore { get; }
}
