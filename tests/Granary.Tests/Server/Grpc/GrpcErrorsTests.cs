using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Server.Grpc;
using Grpc.Core;

namespace Granary.Tests.Server.Grpc;

public sealed class GrpcErrorsTests
{
    [Theory]
    [InlineData(ErrorCodes.InvalidArgument, StatusCode.InvalidArgument)]
    [InlineData(ErrorCodes.InvalidDefinition, StatusCode.InvalidArgument)]
    [InlineData(ErrorCodes.UnknownReference, StatusCode.InvalidArgument)]
    [InlineData(ErrorCodes.NotFound, StatusCode.NotFound)]
    [InlineData(ErrorCodes.RegistryUnavailable, StatusCode.Unavailable)]
    [InlineData(ErrorCodes.SourceUnavailable, StatusCode.Unavailable)]
    [InlineData(ErrorCodes.OnlineStoreUnavailable, StatusCode.Unavailable)]
    [InlineData(ErrorCodes.RegistryConflict, StatusCode.Aborted)]
    [InlineData(ErrorCodes.SourceTimeout, StatusCode.DeadlineExceeded)]
    [InlineData(ErrorCodes.InvalidConfig, StatusCode.Internal)]
    [InlineData(ErrorCodes.DuplicateName, StatusCode.InvalidArgument)]
    [InlineData("some_future_code", StatusCode.Internal)]
    public void Each_error_code_maps_to_one_status(string code, StatusCode status) =>
        Assert.Equal(status, GrpcErrors.StatusOf(code));

    [Fact]
    public void The_exception_carries_the_detail_and_the_code()
    {
        var error = GrpcErrors.ToRpcException(new GranaryException(ErrorCodes.NotFound, "No feature view 'x'."));

        Assert.Equal(new Status(StatusCode.NotFound, "No feature view 'x'."), error.Status);
        Assert.Equal(ErrorCodes.NotFound, error.Trailers.GetValue(GrpcErrors.CodeTrailer));
    }
}
