using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Granary.Registry.Configuration;

namespace Granary.Registry.Alerts;

/// <summary>
/// Webhook URLs carry their secret in the path or query (Slack, Teams and most chat hooks do), so they are shown only
/// as <c>scheme://host/…</c> and expanded from <c>${VAR}</c> only at the moment of sending.
/// </summary>
internal static class WebhookUrl
{
    /// <summary>How an alert that names no webhook shows where it sends: to the configuration's default.</summary>
    public const string DefaultShown = "(monitoring.default_webhook)";

    /// <summary>What may be shown of <paramref name="written"/>: its scheme and host, never the path, query or a variable's value.</summary>
    public static string Redact(string written)
    {
        if (written.Length == 0)
        {
            return DefaultShown;
        }

        if (written.Contains("${", StringComparison.Ordinal))
        {
            // The host may itself come from the variable; name nothing that could be part of the secret.
            var scheme = written.IndexOf("://", StringComparison.Ordinal) is var i and > 0 && !written[..i].Contains("${", StringComparison.Ordinal)
                ? written[..i] + "://"
                : "";
            return scheme + "${…}";
        }

        return Uri.TryCreate(written, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Authority}/…" : "(invalid URL)";
    }

    /// <summary>
    /// An alert's canonical JSON as it may be shown (registry listings, dumps, the server's registry views): the same
    /// properties in the same order, with <c>webhook</c> redacted. The stored spec and its hash keep the URL as written.
    /// </summary>
    public static string RedactSpec(string alertSpec)
    {
        using var document = JsonDocument.Parse(alertSpec);
        var buffer = new ArrayBufferWriter<byte>(alertSpec.Length);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.NameEquals("webhook") && property.Value.ValueKind == JsonValueKind.String)
                {
                    writer.WriteString("webhook", Redact(property.Value.GetString()!));
                }
                else
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Whether <paramref name="url"/> is an absolute http or https URL.</summary>
    public static bool IsValid(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0;

    /// <summary>The URL to send to; false with the unset variable's name when one has no value.</summary>
    public static bool TryExpand(string written, Func<string, string?> environment, out Uri? url, out string? problem)
    {
        url = null;
        if (!EnvironmentVariables.TryExpand(written, environment, out var expanded, out var missing))
        {
            problem = $"the environment variable '{missing}' is not set";
            return false;
        }

        if (!IsValid(expanded))
        {
            problem = "it is not an absolute http or https URL once expanded";
            return false;
        }

        url = new Uri(expanded);
        problem = null;
        return true;
    }
}
