using System.CommandLine;
using System.Text;
using System.Text.Json;

namespace Granary.Cli.Commands;

/// <summary>
/// <c>--format text|json</c> of the <c>granary features</c> commands: text for people, or the JSON the REST API
/// answers (written by the server's own writers, indented).
/// </summary>
internal static class FeaturesOutput
{
    public static Option<string> CreateFormatOption()
    {
        var format = new Option<string>("--format")
        {
            Description = "text for people, or json: the same JSON as the REST API (/api/v1/features...).",
            DefaultValueFactory = _ => "text",
            HelpName = "text|json",
        };
        format.AcceptOnlyFromAmong("text", "json");
        return format;
    }

    public static bool IsJson(ParseResult parseResult, Option<string> format) => parseResult.GetValue(format) == "json";

    /// <summary>Writes the JSON <paramref name="write"/> produces, indented, and a line end.</summary>
    public static void WriteJson<T>(TextWriter output, T value, Action<Utf8JsonWriter, T> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer, value);
        }

        output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }

    public static string Time(DateTimeOffset? time) => time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) : "-";

    public static string List(IReadOnlyList<string> values) => values.Count == 0 ? "-" : string.Join(", ", values);
}
