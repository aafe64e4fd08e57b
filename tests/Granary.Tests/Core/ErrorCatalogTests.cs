using System.Reflection;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Server;
using Granary.Server.Grpc;
using Granary.Server.Http;
using Grpc.Core;

namespace Granary.Tests.Core;

public sealed class ErrorCatalogTests
{
    private static IEnumerable<string> PublishedCodes(Type holder) => holder
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!);

    [Fact]
    public void Every_published_code_is_in_the_table_exactly_once()
    {
        var table = ErrorCatalog.All.Select(e => e.Code).ToList();

        Assert.Equal(table.Count, table.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(PublishedCodes(typeof(ErrorCodes)).Order(StringComparer.Ordinal), table.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_grpc_status_numbers_are_grpcs_own()
    {
        foreach (var status in Enum.GetValues<GrpcStatus>())
        {
            Assert.Equal((int)status, (int)Enum.Parse<StatusCode>(status.ToString()));
        }

        Assert.Equal(Enum.GetValues<StatusCode>().Length, Enum.GetValues<GrpcStatus>().Length);
    }

    // The two statuses of a code say the same thing: the caller's mistake on both wires, or the server's on both.
    [Fact]
    public void Http_and_grpc_agree_on_whose_failure_each_code_is()
    {
        foreach (var entry in ErrorCatalog.All)
        {
            var serverSide = entry.GrpcStatus is GrpcStatus.Internal or GrpcStatus.Unavailable or GrpcStatus.Unknown or GrpcStatus.DataLoss;
            Assert.True(entry.HttpStatus is >= 400 and < 600, entry.Code);
            Assert.True(serverSide == entry.HttpStatus >= 500 || entry.GrpcStatus == GrpcStatus.DeadlineExceeded, $"{entry.Code}: {entry.HttpStatus} / {entry.GrpcStatus}");
            Assert.True(entry.HttpStatus != 503 || entry.GrpcStatus == GrpcStatus.Unavailable, entry.Code);
        }
    }

    [Fact]
    public void The_http_api_and_the_grpc_services_answer_every_code_from_the_table()
    {
        foreach (var entry in ErrorCatalog.All.Append(new ErrorStatus("a_code_not_yet_known", ErrorCatalog.Unknown.HttpStatus, ErrorCatalog.Unknown.GrpcStatus)))
        {
            Assert.Equal(entry.HttpStatus, ErrorResponses.StatusOf(entry.Code));
            Assert.Equal((StatusCode)entry.GrpcStatus, GrpcErrors.StatusOf(entry.Code));
        }
    }

    // The statuses the codes are published with; a client branches on them, so none may move.
    [Theory]
    [InlineData(ErrorCodes.DuplicateName, 400, StatusCode.InvalidArgument)]
    [InlineData(ErrorCodes.AlreadyExists, 409, StatusCode.AlreadyExists)]
    [InlineData(ErrorCodes.Conflict, 409, StatusCode.FailedPrecondition)]
    [InlineData(ErrorCodes.Unprocessable, 422, StatusCode.InvalidArgument)]
    [InlineData(ErrorCodes.Unauthenticated, 401, StatusCode.Unauthenticated)]
    [InlineData(ErrorCodes.PermissionDenied, 403, StatusCode.PermissionDenied)]
    [InlineData(ErrorCodes.RateLimited, 429, StatusCode.ResourceExhausted)]
    [InlineData(ErrorCodes.RegistryConflict, 409, StatusCode.Aborted)]
    [InlineData(ErrorCodes.SourceTimeout, 504, StatusCode.DeadlineExceeded)]
    [InlineData(ErrorCodes.OnlineStoreUnavailable, 503, StatusCode.Unavailable)]
    public void A_code_keeps_the_statuses_it_is_published_with(string code, int http, StatusCode grpc)
    {
        Assert.Equal(http, ErrorCatalog.Find(code).HttpStatus);
        Assert.Equal(grpc, (StatusCode)ErrorCatalog.Find(code).GrpcStatus);
    }
}
