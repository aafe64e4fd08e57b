using Granary.Contracts.Http;
using Granary.Push;
using Granary.Server.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Granary.Server.Http;

/// <summary>
/// <c>POST /push</c> and <c>POST /write-to-online-store</c>. Both are all or nothing: the facade checks every row
/// against the definitions before it writes any, so a rejected request (400, naming the column and row) changes nothing.
/// </summary>
internal static class PushEndpoints
{
    public const string PushName = "push";
    public const string WriteToOnlineName = "write-to-online-store";

    public static async Task PushAsync(HttpContext context, EndpointRunner runner)
    {
        PushRequest request;
        using (var body = await runner.ReadBodyAsync(context))
        {
            request = ParsePush(body.Span);
        }

        var result = await runner.Store.PushAsync(request, context.RequestAborted);
        runner.Metrics.PushedRows(result.Rows);
        ServerLog.Pushed(runner.Logger, result.Rows, request.PushSourceName, request.To, result.OnlineWritten);
        JsonBody.Write(context.Response, StatusCodes.Status200OK, result, static (writer, result) =>
            PushResponseJson.Write(writer, result.Rows, result.OnlineWritten, result.Offline, result.Views));
    }

    public static async Task WriteToOnlineAsync(HttpContext context, EndpointRunner runner)
    {
        WriteToOnlineStoreRequestBody request;
        using (var body = await runner.ReadBodyAsync(context))
        {
            request = WriteToOnlineStoreRequestJson.Parse(body.Span);
        }

        var written = await runner.Store.WriteToOnlineStoreAsync(request.FeatureViewName, request.Columns, context.RequestAborted);
        var rows = request.Columns.Count == 0 ? 0 : First(request.Columns).Count;
        runner.Metrics.PushedRows(rows);
        JsonBody.Write(context.Response, StatusCodes.Status200OK, (Rows: rows, Written: written), static (writer, result) =>
            WriteToOnlineStoreResponseJson.Write(writer, result.Rows, result.Written));
    }

    /// <summary>The body as the facade's request, its target mapped to the facade's.</summary>
    internal static PushRequest ParsePush(ReadOnlySpan<byte> body)
    {
        var wire = PushRequestJson.Parse(body);
        return new PushRequest
        {
            PushSourceName = wire.PushSourceName,
            Columns = wire.Columns,
            To = wire.To switch
            {
                PushTo.Offline => PushTarget.Offline,
                PushTo.OnlineAndOffline => PushTarget.OnlineAndOffline,
                _ => PushTarget.Online,
            },
        };
    }

    private static IReadOnlyList<object?> First(Dictionary<string, IReadOnlyList<object?>> columns)
    {
        foreach (var (_, values) in columns)
        {
            return values;
        }

        return [];
    }
}
