using System.Data.Common;
using System.Globalization;

namespace Granary.Cli.Output;

/// <summary>Prints rows from a data reader as an aligned table, values formatted for reading (UTC times, 4 decimals).</summary>
internal static class ReaderPreview
{
    public static async Task WriteAsync(DbDataReader reader, TextWriter output, string indent, CancellationToken cancellationToken)
    {
        var headers = new string[reader.FieldCount];
        for (var i = 0; i < headers.Length; i++)
        {
            headers[i] = reader.GetName(i);
        }

        var table = new TextTable(headers);
        while (await reader.ReadAsync(cancellationToken))
        {
            var cells = new string[headers.Length];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = reader.IsDBNull(i) ? "null" : Format(reader.GetValue(i));
            }

            table.AddRow(cells);
        }

        using var text = new StringWriter();
        table.Write(text);
        foreach (var line in text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            output.WriteLine(indent + line.TrimEnd('\r'));
        }
    }

    private static string Format(object value) => value switch
    {
        DateTimeOffset d => d.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        double d => d.ToString("0.####", CultureInfo.InvariantCulture),
        float f => f.ToString("0.####", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
