using System.Data.Common;
using System.Globalization;
using System.Text;

namespace Granary.Offline.Files;

/// <summary>
/// Streams a data reader to a CSV file (RFC 4180): a header row, fields quoted only when they must be, CRLF line
/// ends. A null is an empty field and an empty string is <c>""</c>, so the two stay apart. Timestamps are
/// ISO-8601 in UTC with a <c>Z</c> (a naive timestamp is UTC), to the microsecond.
/// </summary>
internal static class CsvRowWriter
{
    /// <summary>Writes every row of <paramref name="reader"/> to <paramref name="path"/>; returns the number of rows.</summary>
    public static async Task<long> WriteAsync(DbDataReader reader, string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        var line = new StringBuilder();
        for (var i = 0; i < reader.FieldCount; i++)
        {
            AppendField(line, i, Quote(reader.GetName(i)));
        }

        await writer.WriteAsync(line.Append("\r\n"), cancellationToken);
        long rows = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            line.Clear();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                AppendField(line, i, reader.IsDBNull(i) ? "" : Quote(Format(reader.GetValue(i))));
            }

            await writer.WriteAsync(line.Append("\r\n"), cancellationToken);
            rows++;
        }

        return rows;
    }

    /// <summary>The text of one value, culture-invariant.</summary>
    public static string Format(object value) => value switch
    {
        string text => text,
        DateTime time => DateTime.SpecifyKind(time, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        byte[] bytes => "\\x" + Convert.ToHexStringLower(bytes),
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static void AppendField(StringBuilder line, int index, string field)
    {
        if (index > 0)
        {
            line.Append(',');
        }

        line.Append(field);
    }

    // An empty string is quoted so that it does not read back as null.
    private static string Quote(string field) =>
        field.Length == 0 || field.AsSpan().IndexOfAny(",\"\r\n") >= 0
            ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : field;
}
