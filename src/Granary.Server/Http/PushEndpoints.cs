using System.Buffers;
using System.Text.Json;
using Granary.Contracts.Http;
using Granary.Push;
using Granary.Server.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Granary.Server.Http;

/// <summary>
/// <c>POST /push</c> and <c>POST /write-to-online-store</c>. Both are all or nothing: the facade checks every row
/// against the definitions before it writes any, so a rejected request (400, naming the column and row; 422 for rows
/// failing an error validation rule, unless <c>allow_partial</c>) changes nothing.
/// A request with an <c>Idempotency-Key</c> header is applied once per key (<see cref="IdempotentAnswers"/>): a repeat
/// with the same body gets the first answer, one with another body 409 <c>conflict</c>.
/// </summary>
internal static class PushEndpoints
{
    public const string PushName = "push";
    public const string WriteToOnlineName = "write-to-online-store";

    /// <summary>The header naming a request that may be sent again; see <see cref="IdempotentAnswers"/>.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static async Task PushAsync(HttpContext context, EndpointRunner runner)
    {
        PushRequest request;
        byte[]? hash;
        using (var body = await runner.ReadBodyAsync(context))
        {
            request = ParsePush(body.Span);
            hash = KeyOf(context) is null ? null : IdempotentAnswers.Hash(body.Span);
        }

        if (hash is null)
        {
            var result = await ApplyPushAsync(runner, request, context.RequestAborted);
            JsonBody.Write(context.Response, StatusCodes.Status200OK, result, static (writer, result) => WritePushAnswer(writer, result));
            return;
        }

        await OnceAsync(context, PushName, hash, async () => Answer(await ApplyPushAsync(runner, request, context.RequestAborted), WritePushAnswer));
    }

    public static async Task WriteToOnlineAsync(HttpContext context, EndpointRunner runner)
    {
        WriteToOnlineStoreRequestBody request;
        byte[]? hash;
        using (var body = await runner.ReadBodyAsync(context))
        {
            request = WriteToOnlineStoreRequestJson.Parse(body.Span);
            hash = KeyOf(context) is null ? null : IdempotentAnswers.Hash(body.Span);
        }

        if (hash is null)
        {
            var result = await ApplyWriteAsync(runner, request, context.RequestAborted);
            JsonBody.Write(context.Response, StatusCodes.Status200OK, result, static (writer, result) => WriteWriteAnswer(writer, result));
            return;
        }

        await OnceAsync(context, WriteToOnlineName, hash, async () => Answer(await ApplyWriteAsync(runner, request, context.RequestAborted), WriteWriteAnswer));
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
            AllowPartial = wire.AllowPartial,
        };
    }

    private static async Task<PushResult> ApplyPushAsync(EndpointRunner runner, PushRequest request, CancellationToken cancellationToken)
    {
        var result = await runner.Store.PushAsync(request, cancellationToken);
        runner.Metrics.PushedRows(result.Rows);
        ServerLog.Pushed(runner.Logger, result.Rows, request.PushSourceName, request.To, result.OnlineWritten);
        return result;
    }

    private static async Task<(long Rows, long Written)> ApplyWriteAsync(EndpointRunner runner, WriteToOnlineStoreRequestBody request, CancellationToken cancellationToken)
    {
        var written = await runner.Store.WriteToOnlineStoreAsync(request.FeatureViewName, request.Columns, cancellationToken);
        var rows = request.Columns.Count == 0 ? 0 : First(request.Columns).Count;
        runner.Metrics.PushedRows(rows);
        return (rows, written);
    }

    private static void WritePushAnswer(Utf8JsonWriter writer, PushResult result) =>
        PushResponseJson.Write(writer, result.Rows, result.OnlineWritten, result.Offline, result.Views, result.LateRows, result.RejectedRows, RuleCounts.Of(result.Validation));

    private static void WriteWriteAnswer(Utf8JsonWriter writer, (long Rows, long Written) result) =>
        WriteToOnlineStoreResponseJson.Write(writer, result.Rows, result.Written);

    /// <summary>
    /// Applies the request once per key: the first request with the key runs <paramref name="apply"/> and its answer
    /// is remembered; a repeat is answered from memory. A failure forgets the key (the endpoint runner answers it).
    /// </summary>
    private static async Task OnceAsync(HttpContext context, string endpoint, byte[] hash, Func<Task<byte[]>> apply)
    {
        var answers = context.RequestServices.GetRequiredService<IdempotentAnswers>();
        var (_, remembered) = await answers.RunOnceAsync(endpoint, KeyOf(context)!, hash, apply, static answer => answer, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = remembered.Length;
        context.Response.BodyWriter.Write(remembered);
    }

    // Remembered answers outlive the request, so they are their own bytes rather than the thread's reused buffer.
    private static byte[] Answer<T>(T result, Action<Utf8JsonWriter, T> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, JsonBody.WriterOptions))
        {
            write(writer, result);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string? KeyOf(HttpContext context) =>
        context.Request.Headers.TryGetValue(IdempotencyKeyHeader, out var values) && values.Count > 0 ? values[0] : null;

    private static IReadOnlyList<object?> First(Dictionary<string, IReadOnlyList<object?>> columns)
    {
        foreach (var (_, values) in columns)
        {
            return values;
        }

        return [];
    }
}
