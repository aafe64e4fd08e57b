using Granary.Client;
using Granary.Server;
using Granary.Tests.Streaming;

namespace Granary.Tests.Client;

/// <summary>
/// <see cref="PushResult.LateRows"/> against a real server, over HTTP (<c>late_rows</c>) and gRPC (field 5): a push to
/// the issue's <c>transactions_push</c> (allowed lateness 10 minutes) reports the rows older than the newest event seen
/// from the source by more than that, and only those. Each transport pushes to users of its own.
/// </summary>
public sealed class PushLateRowsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Newest = new(2026, 11, 3, 12, 0, 0, TimeSpan.Zero);

    private Infrastructure.TempRepository? _repository;
    private GranaryServer? _server;

    public async Task InitializeAsync()
    {
        _repository = await StreamDefinitionRepository.CreateAsync();
        await using (var store = FeatureStore.Open(_repository.Root))
        {
            await store.ApplyAsync();
        }

        _server = await GrpcClientServerFixture.StartAsync(_repository.Root, port: 0, grpcPort: 0);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _repository?.Dispose();
    }

    [Theory]
    [InlineData(GranaryTransport.Http, 7001L)]
    [InlineData(GranaryTransport.Grpc, 7101L)]
    public async Task Rows_later_than_the_allowed_lateness_are_counted_in_LateRows_and_timely_ones_are_not(GranaryTransport transport, long user)
    {
        using var client = new GranaryClient(new GranaryClientOptions
        {
            BaseAddress = _server!.HttpUrl,
            GrpcAddress = _server.GrpcUrl,
            Transport = transport,
        });

        var first = await client.PushAsync(Transactions(user, "a", (Newest, 10.0)));
        // 9 minutes before the newest: within the lateness. 11 and 30 minutes before: later than it.
        var second = await client.PushAsync(Transactions(
            user, "b", (Newest.AddMinutes(-9), 1.0), (Newest.AddMinutes(-11), 2.0), (Newest.AddMinutes(-30), 3.0)));

        Assert.Equal(0, first.LateRows);
        Assert.Equal(2, second.LateRows);
        Assert.Equal(3, second.Rows);
    }

    private static PushRequest Transactions(long user, string batch, params (DateTimeOffset Time, double Amount)[] rows)
    {
        var request = new PushRequest("transactions_push") { To = PushTarget.Online };
        for (var i = 0; i < rows.Length; i++)
        {
            request.AddRow(
                ("user_id", user),
                ("event_timestamp", rows[i].Time.ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
                ("txn_id", $"{user}-{batch}-{i}"),
                ("amount", rows[i].Amount),
                ("amount_cents", (long)(rows[i].Amount * 100)),
                ("merchant_id", 42L),
                ("items", 1),
                ("method", "card"));
        }

        return request;
    }
}
