namespace Granary.Tests.Infrastructure;

/// <summary>
/// A <see cref="RedisServer"/> that requires a password (<c>requirepass</c>), made up per run: for tests of
/// configurations that carry a secret, as production ones do. A class fixture; tests take their own projects.
/// </summary>
public sealed class PasswordProtectedRedis : IAsyncLifetime
{
    public PasswordProtectedRedis()
    {
        Server = new RedisServer(clusterNode: false, password: $"pw-{Guid.NewGuid():N}");
    }

    /// <summary>The running server; <see cref="RedisServer.Password"/> is what it requires.</summary>
    public RedisServer Server { get; }

    /// <summary>The password the server requires.</summary>
    public string Password => Server.Password!;

    public Task InitializeAsync() => Server.InitializeAsync();

    public Task DisposeAsync() => Server.DisposeAsync();
}
