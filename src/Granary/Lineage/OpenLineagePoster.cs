using System.Net.Http.Headers;
using System.Text;
using Granary.Contracts.Errors;
using Granary.Core.Errors;

namespace Granary.Lineage;

/// <summary>
/// Posts OpenLineage events one by one to a consumer's lineage endpoint (Marquez: <c>http://host:5000/api/v1/lineage</c>),
/// as JSON. Every event is tried; the answer says which were refused and why. A consumer that cannot be reached at
/// all stops the export at the first event with <see cref="ErrorCodes.SourceUnavailable"/>.
/// </summary>
public sealed class OpenLineagePoster(HttpClient client)
{
    private const int QuotedBodyLength = 300;

    /// <summary>Posts every event to <paramref name="url"/>; the result lists each refusal (status and the start of the answer's body).</summary>
    /// <exception cref="GranaryException">The URL is not http(s), or the consumer cannot be reached.</exception>
    public async Task<OpenLineagePostResult> PostAsync(Uri url, IReadOnlyList<OpenLineageEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(events);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"--url: '{url}' is not an http(s) address; give the consumer's lineage endpoint, e.g. http://localhost:5000/api/v1/lineage.");
        }

        var posted = 0;
        var failures = new List<string>();
        foreach (var e in events)
        {
            using var content = new StringContent(e.Json, Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            HttpResponseMessage response;
            try
            {
                response = await client.PostAsync(url, content, cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                throw new GranaryException(ErrorCodes.SourceUnavailable, $"Could not post lineage to {url}: {ex.Message}", ex);
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new GranaryException(ErrorCodes.SourceTimeout, $"Posting lineage to {url} timed out after {client.Timeout.TotalSeconds:0} s.", ex);
            }

            using (response)
            {
                if (response.IsSuccessStatusCode)
                {
                    posted++;
                    continue;
                }

                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (body.Length > QuotedBodyLength)
                {
                    body = body[..QuotedBodyLength] + "...";
                }

                failures.Add($"{e.JobName} (run {e.RunId}): HTTP {(int)response.StatusCode} {response.ReasonPhrase}{(body.Length > 0 ? $": {body.Trim()}" : "")}");
            }
        }

        return new OpenLineagePostResult(posted, failures);
    }
}
