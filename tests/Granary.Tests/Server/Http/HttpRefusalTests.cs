using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Granary.Tests.Server.Http;

/// <summary>
/// Every refusal of a request whose request line and headers parse is <c>{"error", "detail"}</c>: unknown paths,
/// wrong methods, bodies not declared JSON, and bodies whose framing breaks (sent on a raw socket), against the real
/// server on loopback.
/// </summary>
public sealed class HttpRefusalTests(EmbeddedServedRepository served) : IClassFixture<EmbeddedServedRepository>
{
    private const string Lookup = """{"features": ["user_stats:orders_7d"], "entities": {"user_id": [1]}}""";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private async Task<(HttpResponseMessage Response, string Text)> SendAsync(HttpMethod method, string path, string? body = null, string? contentType = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path.TrimStart('/'), UriKind.Relative));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        var response = await served.Client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    private static JsonElement AssertError(HttpResponseMessage response, string text, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(text).RootElement;
        Assert.Equal(code, error.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("detail").GetString()));
        return error.Clone();
    }

    private static void AssertError(RawResponse answer, int status, string code)
    {
        Assert.True(answer.Complete, answer.Problem);
        Assert.True(status == answer.Status, $"{answer.Status}: {answer.Text}");
        Assert.StartsWith("application/json", answer.ContentType, StringComparison.Ordinal);
        Assert.Equal(code, answer.Json.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(answer.Json.GetProperty("detail").GetString()));
    }

    /// <summary>Sends <paramref name="head"/> (lines joined by \n, without the blank line) and <paramref name="body"/> on a connection of its own.</summary>
    private Task<RawResponse> SendRawAsync(string head, string body, bool closeAfter = false) => Task.Run(() =>
    {
        using var connection = new RawHttpExchange(served.Server.HttpUrl, Patience);
        return connection.Send(Encoding.UTF8.GetBytes(head.Replace("\n", "\r\n", StringComparison.Ordinal) + "\r\n\r\n" + body), closeSending: closeAfter);
    });

    private async Task AssertStillServingAsync()
    {
        var (response, _) = await served.PostAsync("/get-online-features", Lookup);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/nope")]
    [InlineData("POST", "/get-online-features/extra")]
    [InlineData("GET", "/static/file.txt")]
    public async Task An_unknown_path_is_404_unknown_path_naming_the_paths_there_are(string method, string path)
    {
        var (response, text) = await SendAsync(new HttpMethod(method), path);

        var error = AssertError(response, text, HttpStatusCode.NotFound, "unknown_path");
        Assert.Contains(path, error.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("/get-online-features", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/get-online-features", "POST")]
    [InlineData("PUT", "/push", "POST")]
    [InlineData("DELETE", "/write-to-online-store", "POST")]
    [InlineData("GET", "/materialize-incremental", "POST")]
    [InlineData("POST", "/health", "GET")]
    [InlineData("POST", "/entities", "GET")]
    [InlineData("DELETE", "/feature-views/user_stats", "GET")]
    [InlineData("POST", "/openapi/v1.json", "GET")]
    [InlineData("GET", "/api/v1/augment/batch", "POST")]
    [InlineData("PUT", "/api/v1/augment/online", "POST")]
    public async Task A_wrong_method_is_405_with_allow_and_a_json_body(string method, string path, string allowed)
    {
        var (response, text) = await SendAsync(new HttpMethod(method), path, method is "GET" or "DELETE" ? null : "{}", "application/json");

        var error = AssertError(response, text, HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        Assert.Equal([allowed], response.Content.Headers.Allow);
        Assert.Contains(allowed, error.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/get-online-features", null)]
    [InlineData("/get-online-features", "application/x-www-form-urlencoded")]
    [InlineData("/get-online-features", "text/plain")]
    [InlineData("/get-online-features", "application/json; charset=utf-16")]
    [InlineData("/get-online-features", "application/jsonp")]
    [InlineData("/push", null)]
    [InlineData("/push", "multipart/form-data; boundary=x")]
    [InlineData("/materialize", "text/json")]
    public async Task A_post_not_declared_json_is_415_with_a_json_body(string path, string? contentType)
    {
        var (response, text) = await SendAsync(HttpMethod.Post, path, Lookup, contentType);

        var error = AssertError(response, text, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        Assert.Contains("Content-Type: application/json", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("Application/JSON")]
    [InlineData("application/json;charset=UTF-8")]
    [InlineData("application/json; charset=\"utf-8\"")]
    public async Task Json_in_any_case_with_a_utf8_charset_is_accepted(string contentType)
    {
        var (response, text) = await SendAsync(HttpMethod.Post, "/get-online-features", Lookup, contentType);

        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
    }

    [Fact]
    public async Task A_detail_reads_as_written_without_unicode_escapes()
    {
        var (response, text) = await SendAsync(HttpMethod.Get, "/feature-views/no_such_view");

        AssertError(response, text, HttpStatusCode.NotFound, "not_found");
        Assert.Contains("'no_such_view'", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0027", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zz")]
    [InlineData("FFFFFFFFFFFFFFFFFF")]   // overflows: Kestrel reports it as a plain IOException
    public async Task Malformed_chunked_encoding_is_400_malformed_body_and_the_server_keeps_serving(string chunkSize)
    {
        var answer = await SendRawAsync(
            "POST /get-online-features HTTP/1.1\nHost: localhost\nContent-Type: application/json\nTransfer-Encoding: chunked",
            chunkSize + "\r\n{}\r\n0\r\n\r\n",
            closeAfter: false);

        AssertError(answer, 400, "malformed_body");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task A_client_that_leaves_mid_body_is_never_counted_as_a_server_failure()
    {
        // Half a body, then the client's side of the connection is shut: Kestrel drops the connection, so there is
        // nobody to answer. The only other request to this endpoint here is the 405 test's GET.
        var answer = await SendRawAsync(
            "POST /materialize-incremental HTTP/1.1\nHost: localhost\nContent-Type: application/json\nContent-Length: 100",
            "{\"end_t",
            closeAfter: true);
        Assert.False(answer.Complete, $"answered {answer.Status}: {answer.Text}");

        // The meter hands measurements to the exporter in batches: wait until this request's is there.
        string[] counted = [];
        for (var attempt = 0; attempt < 100 && counted.Length == 0; attempt++)
        {
            await Task.Delay(attempt == 0 ? 0 : 100);
            var metrics = await served.Client.GetStringAsync(new Uri("metrics", UriKind.Relative));
            counted = [.. metrics.Split('\n').Where(l => l.StartsWith("granary_server_request_duration_seconds_count{endpoint=\"materialize-incremental\"", StringComparison.Ordinal) && !l.Contains("\"405\"", StringComparison.Ordinal))];
        }

        Assert.NotEmpty(counted);
        Assert.DoesNotContain(counted, line => line.Contains("http_response_status_code=\"5", StringComparison.Ordinal));
        // Which client-side status it is depends on which the server sees first: the connection's abort (499) or
        // Kestrel's report of a body that ended early (400). Either is the client's, never the server's.
        Assert.Contains(counted, line => line.Contains("http_response_status_code=\"499\"", StringComparison.Ordinal)
            || line.Contains("http_response_status_code=\"400\"", StringComparison.Ordinal));
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_413_payload_too_large()
    {
        var chunk = new string(' ', 16 * 1024);
        var chunks = string.Concat(Enumerable.Repeat($"{chunk.Length:x}\r\n{chunk}\r\n", (int)(ServedRepository.MaxBody / chunk.Length) + 2));
        var answer = await SendRawAsync(
            "POST /get-online-features HTTP/1.1\nHost: localhost\nContent-Type: application/json\nTransfer-Encoding: chunked",
            chunks + "0\r\n\r\n",
            closeAfter: false);

        AssertError(answer, 413, "payload_too_large");
    }

    [Theory]
    [InlineData("Content-Length: 100", "{\"features\"")]
    [InlineData("Transfer-Encoding: chunked", "40\r\n{\"features\"")]
    public async Task A_body_that_stops_arriving_is_408_request_timeout(string framing, string start)
    {
        // Kestrel allows a body 5 seconds before it holds it to its minimum rate (240 bytes a second).
        var answer = await SendRawAsync(
            "POST /get-online-features HTTP/1.1\nHost: localhost\nContent-Type: application/json\n" + framing,
            start,
            closeAfter: false);

        AssertError(answer, 408, "request_timeout");
        await AssertStillServingAsync();
    }
}
