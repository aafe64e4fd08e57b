using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Granary.Server;
using Microsoft.Extensions.Logging;

namespace Granary.Cli.Commands;

/// <summary>
/// The quickstart's serving step: start the feature server on a free port, ask it for features over HTTP exactly as
/// a Feast client would, print the answer, and stop it.
/// </summary>
internal static class QuickstartServer
{
    public static async Task RunAsync(string repositoryRoot, long user, TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine("8. Starting the feature server on a free port and querying it over HTTP...");
        await using var server = new GranaryServer(
            new GranaryServerOptions { RepositoryPath = repositoryRoot, Port = 0, GrpcPort = null },
            logging => logging.ClearProviders());
        await server.StartAsync(cancellationToken);
        var url = new Uri(server.HttpUrl, "get-online-features");
        var body = $$$"""{"features": ["user_activity:ctr_7d", "user_profile:age"], "entities": {"user_id": [{{{user}}}]} }""";
        output.WriteLine($"   POST {url}");
        output.WriteLine($"   {body}");
        using var http = new HttpClient();
        using var content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        using var response = await http.PostAsync(url, content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        output.WriteLine($"   {(int)response.StatusCode} {response.StatusCode}:");
        using (var json = JsonDocument.Parse(text))
        {
            // Compact but readable: one line per result column.
            output.WriteLine($"   metadata: {json.RootElement.GetProperty("metadata").GetRawText()}");
            foreach (var column in json.RootElement.GetProperty("results").EnumerateArray())
            {
                output.WriteLine($"   {column.GetRawText()}");
            }
        }

        await server.StopAsync(cancellationToken);
        output.WriteLine("   Server stopped.");
    }
}
