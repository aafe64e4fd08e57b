using System.Text.Json;
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
            request = PushRequestJson.ParsePush(body.Span);
        }

        var result = await runner.Store.PushAsync(request, context.RequestAborted);
        runner.Metrics.PushedRows(result.Rows);
        ServerLog.Pushed(runner.Logger, result.Rows, request.PushSourceName, request.To, result.OnlineWritten);
        JsonBody.WriteObject(context.Response, writer =>
        {
            writer.WriteNumber("rows"u8, result.Rows);
            writer.WriteNumber("online_written"u8, result.OnlineWritten);
            writer.WriteBoolean("offline"u8, result.Offline);
            writer.WriteStartArray("feature_views"u8);
            foreach (var view in result.Views)
            {
                writer.WriteStringValue(view);
            }

            writer.WriteEndArray();
        });
    }

    public static async Task WriteToOnlineAsync(HttpContext context, EndpointRunner runner)
    {
        string view;
        IReadOnlyDictionary<string, IReadOnlyList<object?>> columns;
        using (var body = await runner.ReadBodyAsync(context))
        {
            (view, columns) = PushRequestJson.ParseWriteToOnline(body.Span);
        }

        var written = await runner.Store.WriteToOnlineStoreAsync(view, columns, context.RequestAborted);
        var rows = columns.Count == 0 ? 0 : First(columns).Count;
        runner.Metrics.PushedRows(rows);
        JsonBody.WriteObject(context.Response, writer =>
        {
            writer.WriteNumber("rows"u8, rows);
            writer.WriteNumber("online_written"u8, written);
        });
    }

    private static IReadOnlyList<object?> First(IReadOnlyDictionary<string, IReadOnlyList<object?>> columns)
    {
        foreach (var (_, values) in columns)
        {
            return values;
        }

        return [];
    }
}
