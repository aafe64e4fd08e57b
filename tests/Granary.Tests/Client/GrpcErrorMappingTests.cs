using System.Net.Sockets;
using Granary.Client;
using Granary.Client.Grpc;
using Granary.Contracts.Errors;
using Grpc.Core;

namespace Granary.Tests.Client;

/// <summary>What <see cref="GrpcErrors"/> makes of each kind of failed call, with the server's trailer and without it.</summary>
public sealed class GrpcErrorMappingTests
{
    [Theory]
    [InlineData(ErrorCodes.NotFound, StatusCode.NotFound, false)]
    [InlineData(ErrorCodes.InvalidArgument, StatusCode.InvalidArgument, false)]
    [InlineData(ErrorCodes.OnlineStoreUnavailable, StatusCode.Unavailable, true)]
    [InlineData(ErrorCodes.RegistryUnavailable, StatusCode.Unavailable, true)]
    [InlineData(ErrorCodes.SourceTimeout, StatusCode.DeadlineExceeded, false)]
    [InlineData(ErrorCodes.Internal, StatusCode.Internal, false)]
    [InlineData("a_code_from_a_newer_server", StatusCode.Internal, false)]
    public void The_servers_code_comes_from_its_trailer_and_only_unavailable_is_transient(string code, StatusCode status, bool transient)
    {
        var exception = GrpcErrors.ToException(new RpcException(new Status(status, "the detail"), new Metadata { { "granary-error-code", code } }));

        Assert.Equal(code, exception.Code);
        Assert.Equal("the detail", exception.Message);
        Assert.Equal(transient, exception.IsTransient);
        Assert.True(exception.MayHaveReachedServer);
        Assert.Null(exception.HttpStatus);
    }

    [Fact]
    public void Every_code_in_the_catalog_is_transient_over_grpc_exactly_when_it_is_503_over_http()
    {
        foreach (var entry in ErrorCatalog.All)
        {
            var exception = GrpcErrors.ToException(new RpcException(new Status((StatusCode)entry.GrpcStatus, "x"), new Metadata { { "granary-error-code", entry.Code } }));
            Assert.True(exception.IsTransient == (entry.HttpStatus == 503), $"{entry.Code}: transient {exception.IsTransient} over gRPC, HTTP {entry.HttpStatus}");
        }
    }

    [Fact]
    public void A_deadline_the_channel_enforced_is_a_transient_timeout()
    {
        var exception = GrpcErrors.ToException(new RpcException(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded")));

        Assert.Equal(GranaryClientException.TimeoutCode, exception.Code);
        Assert.True(exception.IsTransient);
        Assert.True(exception.MayHaveReachedServer);
    }

    [Fact]
    public void A_refused_connection_is_transient_and_known_not_to_have_reached_the_server()
    {
        var refused = new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused", new SocketException((int)SocketError.ConnectionRefused));
        var exception = GrpcErrors.ToException(new RpcException(new Status(StatusCode.Unavailable, "Error starting gRPC call.", refused)));

        Assert.Equal(GranaryClientException.UnavailableCode, exception.Code);
        Assert.True(exception.IsTransient);
        Assert.False(exception.MayHaveReachedServer);
    }

    [Fact]
    public void A_connection_lost_mid_call_may_have_reached_the_server()
    {
        var broken = new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.");
        var exception = GrpcErrors.ToException(new RpcException(new Status(StatusCode.Unavailable, "Error reading the response.", broken)));

        Assert.True(exception.IsTransient);
        Assert.True(exception.MayHaveReachedServer);
    }

    [Fact]
    public void An_internal_status_from_a_torn_down_answer_is_a_transient_connection_failure()
    {
        // What Grpc.Net.Client raises when the server shuts down under a call: INTERNAL, with no Granary trailer.
        var torn = new ObjectDisposedException("System.Net.Http.HttpConnectionResponseContent");
        var exception = GrpcErrors.ToException(new RpcException(new Status(StatusCode.Internal, "Error starting gRPC call. ObjectDisposedException", torn)));

        Assert.Equal(GranaryClientException.UnavailableCode, exception.Code);
        Assert.True(exception.IsTransient);
        Assert.True(exception.MayHaveReachedServer);
    }

    [Fact]
    public void An_internal_status_the_server_sent_is_not_retried()
    {
        var exception = GrpcErrors.ToException(new RpcException(new Status(StatusCode.Internal, "a bug"), new Metadata { { "granary-error-code", ErrorCodes.Internal } }));
        var withoutCause = GrpcErrors.ToException(new RpcException(new Status(StatusCode.Internal, "from a proxy")));

        Assert.False(exception.IsTransient);
        Assert.Equal(ErrorCodes.Internal, withoutCause.Code);
        Assert.False(withoutCause.IsTransient);
    }

    [Theory]
    [InlineData(StatusCode.NotFound, ErrorCodes.NotFound)]
    [InlineData(StatusCode.InvalidArgument, ErrorCodes.InvalidArgument)]
    [InlineData(StatusCode.Unauthenticated, ErrorCodes.Unauthenticated)]
    [InlineData(StatusCode.Unknown, ErrorCodes.Internal)]
    public void A_status_without_granarys_trailer_gets_the_closest_code_and_is_not_retried(StatusCode status, string code)
    {
        var exception = GrpcErrors.ToException(new RpcException(new Status(status, "from a proxy")));

        Assert.Equal(code, exception.Code);
        Assert.False(exception.IsTransient);
    }
}
