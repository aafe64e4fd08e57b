using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Online;
using Granary.Contracts.Grpc.V1;
using Granary.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Granary.Tests.Server.Grpc;

/// <summary>Failures inside the server: a store that is down is UNAVAILABLE; a bug is INTERNAL and tells the client nothing more.</summary>
public sealed class FeatureServingFaultTests : IAsyncLifetime
{
    private const string Secret = "password=hunter2";

    private readonly TempRepository _repository = SampleRepository.Create();
    private FeatureStore? _store;
    private GrpcTestHost? _host;

    public async Task InitializeAsync()
    {
        _store = new FeatureStoreBuilder(_repository.Root).WrapOnlineStore(online => new FaultyOnlineStore(online)).Build();
        await _store.ApplyAsync();
        _host = await GrpcTestHost.StartAsync(services => services.AddSingleton(_store));
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        _repository.Dispose();
    }

    [Fact]
    public async Task An_unexpected_exception_is_internal_without_its_message_or_stack_trace()
    {
        var request = new GetOnlineFeaturesRequest { Features = { "user_stats:orders_7d" } };
        request.Entities["user_id"] = Wire.Column(Wire.Int64(1));

        var error = await Assert.ThrowsAsync<RpcException>(() => _host!.Client.GetOnlineFeaturesAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.DoesNotContain(Secret, error.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", error.Status.Detail, StringComparison.Ordinal);
        Assert.Null(error.Status.DebugException);
        Assert.Equal("internal", error.Trailers.GetValue("granary-error-code"));
    }

    [Fact]
    public async Task A_store_that_is_down_is_unavailable_with_the_detail()
    {
        var write = new WriteToOnlineStoreRequest { FeatureViewName = "user_stats" };
        Wire.UserRows(write.Columns, new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero), (1, 1, 1));

        var error = await Assert.ThrowsAsync<RpcException>(() => _host!.Client.WriteToOnlineStoreAsync(write).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal("The online store is down.", error.Status.Detail);
        Assert.Equal(ErrorCodes.OnlineStoreUnavailable, error.Trailers.GetValue("granary-error-code"));
    }

    /// <summary>Reads fail as a bug would (a plain exception whose message must not leak); writes as an unreachable store.</summary>
    private sealed class FaultyOnlineStore(IOnlineStore inner) : IOnlineStore
    {
        public string Name => "faulty";

        public Task InitializeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<int> WriteAsync(IReadOnlyList<OnlineWrite> writes, CancellationToken cancellationToken = default) =>
            throw new GranaryException(ErrorCodes.OnlineStoreUnavailable, "The online store is down.");

        public ValueTask ReadAsync(IReadOnlyList<OnlineKey> keys, byte[]?[] records, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException($"Could not connect with {Secret}.");

        public Task<DateTimeOffset?> GetWatermarkAsync(string view, CancellationToken cancellationToken = default) => Task.FromResult<DateTimeOffset?>(null);

        public Task SetWatermarkAsync(string view, DateTimeOffset watermark, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task TeardownAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
