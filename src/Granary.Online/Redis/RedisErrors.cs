using System.Diagnostics.CodeAnalysis;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using StackExchange.Redis;

namespace Granary.Online.Redis;

/// <summary>
/// Turns the client's failures into <see cref="GranaryException"/>s, so the CLI and the server report an unreachable
/// Redis the same way as any other unavailable backend instead of leaking StackExchange.Redis types to callers.
/// </summary>
internal static class RedisErrors
{
    /// <summary>True for the failures that mean "Redis is not serving us right now" rather than a bug of ours.</summary>
    public static bool IsUnavailable(Exception exception) =>
        exception is RedisConnectionException or RedisTimeoutException or RedisServerException;

    /// <summary>
    /// True when Redis refused the credentials (a wrong password, or none given to a server that requires one): a
    /// configuration mistake to name as such, not an outage.
    /// </summary>
    public static bool IsAuthenticationFailure(Exception exception)
    {
        if (exception is RedisConnectionException { FailureType: ConnectionFailureType.AuthenticationFailure })
        {
            return true;
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is RedisServerException && (e.Message.StartsWith("WRONGPASS", StringComparison.Ordinal) || e.Message.StartsWith("NOAUTH", StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    public static GranaryException AuthenticationFailed(string endpoints, Exception inner) => new(
        ErrorCodes.OnlineStoreUnavailable,
        $"The Redis online store at {endpoints} refused the password: it is wrong, or missing where Redis requires one. Check the password in online_store.connection (password=...) or feature_store.connection_info.redis_password, and the environment variable it comes from.",
        inner);

    public static GranaryException Unavailable(string endpoints, string operation, Exception inner) => new(
        ErrorCodes.OnlineStoreUnavailable,
        $"The Redis online store at {endpoints} could not {operation}: {inner.Message} Check that Redis is running and reachable with the connection string in granary.yaml (online_store.connection).",
        inner);

    [DoesNotReturn]
    public static void ThrowInvalidConnection(string reason, Exception? inner = null) =>
        // The connection string is not echoed: it may carry a password.
        throw new GranaryException(
            ErrorCodes.InvalidConfig,
            $"The Redis connection string is invalid: {reason} Expected a StackExchange.Redis configuration such as 'localhost:6379' or 'host1:6379,host2:6379,password=...'.",
            inner);

    [DoesNotReturn]
    public static void ThrowInvalidProject(string project) =>
        throw new GranaryException(
            ErrorCodes.InvalidConfig,
            $"The project name '{project}' cannot name Redis keys: it must be non-empty and must not contain '{{' or '}}', which Redis Cluster reads as a hash tag.");
}
