using Granary.Contracts.Errors;

namespace Granary.Client;

/// <summary>Checks options once, when a client is built, with errors that name the option and say how to fix it.</summary>
internal static class GranaryClientOptionsValidation
{
    public static void Validate(GranaryClientOptions options)
    {
        if (options.Transport == GranaryTransport.Http && options.BaseAddress is null)
        {
            throw Invalid("BaseAddress is not set: give the server's HTTP address, e.g. http://localhost:6566.");
        }

        if (options.Transport == GranaryTransport.Grpc && options.GrpcAddress is null)
        {
            throw Invalid("GrpcAddress is not set: give the server's gRPC address, e.g. http://localhost:6567.");
        }

        if (options.BaseAddress is { IsAbsoluteUri: false } || options.GrpcAddress is { IsAbsoluteUri: false })
        {
            throw Invalid("BaseAddress and GrpcAddress must be absolute, e.g. http://localhost:6566.");
        }

        if (options.Timeout <= TimeSpan.Zero && options.Timeout != Timeout.InfiniteTimeSpan)
        {
            throw Invalid($"Timeout is {options.Timeout}; give a positive time (or Timeout.InfiniteTimeSpan).");
        }

        if (options.RetryCount < 0)
        {
            throw Invalid($"RetryCount is {options.RetryCount}; give 0 (no retries) or more.");
        }

        if (options.RetryBaseDelay < TimeSpan.Zero || options.RetryMaxDelay < TimeSpan.Zero)
        {
            throw Invalid("RetryBaseDelay and RetryMaxDelay cannot be negative.");
        }

        if (options.CacheSize < 0 || options.CacheTtl < TimeSpan.Zero)
        {
            throw Invalid("CacheSize and CacheTtl cannot be negative; 0 turns the cache off.");
        }

        if (options.MaxEntitiesPerRequest <= 0)
        {
            throw Invalid($"MaxEntitiesPerRequest is {options.MaxEntitiesPerRequest}; give a positive count.");
        }

        if (options.TimeProvider is null)
        {
            throw Invalid("TimeProvider is null; leave it as TimeProvider.System or give a clock.");
        }
    }

    private static GranaryClientException Invalid(string what) =>
        new(ErrorCodes.InvalidArgument, "GranaryClientOptions." + what, httpStatus: null, isTransient: false, mayHaveReachedServer: false);
}
