using System.Text;
using System.Text.RegularExpressions;

namespace Granary.Core.Model;

/// <summary>
/// The SQL a derived feature view computes its rows with (<c>derived_feature_views:</c>). The query reads other
/// sources and feature views named as <c>{{ name }}</c>; its result has the view's join keys, an
/// <see cref="EventTimestampColumn"/> column and the schema's features.
/// </summary>
public sealed partial record DerivedQuery
{
    /// <summary>The column of the query's result that holds each row's event time.</summary>
    public const string EventTimestampColumn = "event_timestamp";

    /// <summary>The query in the dialect both engines share (DuckDB's, unless <see cref="QueryPostgres"/> is set).</summary>
    public required string Query { get; init; }

    /// <summary>The query the PostgreSQL engine runs instead of <see cref="Query"/>, where the dialects differ; null when they do not.</summary>
    public string? QueryPostgres { get; init; }

    /// <summary>
    /// The names <paramref name="sql"/> refers to as <c>{{ name }}</c>, each once, in order of first use. Text inside
    /// string literals, quoted identifiers and comments is SQL's own, so a <c>{{ }}</c> there is not a reference.
    /// </summary>
    public static IReadOnlyList<string> ReferencesIn(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var names = new List<string>();
        for (var at = NextReference(sql, 0, out var match); match is not null; at = NextReference(sql, at + match.Length, out match))
        {
            var name = match.Groups[1].Value;
            if (!names.Contains(name))
            {
                names.Add(name);
            }
        }

        return names;
    }

    /// <summary>The names both queries refer to, each once.</summary>
    public IReadOnlyList<string> References()
    {
        var names = new List<string>(ReferencesIn(Query));
        if (QueryPostgres is { } postgres)
        {
            foreach (var name in ReferencesIn(postgres))
            {
                if (!names.Contains(name))
                {
                    names.Add(name);
                }
            }
        }

        return names;
    }

    /// <summary>
    /// <paramref name="sql"/> with every <c>{{ name }}</c> replaced by what <paramref name="relation"/> gives for the
    /// name; string literals, quoted identifiers and comments are left as written.
    /// </summary>
    public static string Expand(string sql, Func<string, string> relation)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(relation);
        var expanded = new StringBuilder(sql.Length);
        var copied = 0;
        for (var at = NextReference(sql, 0, out var match); match is not null; at = NextReference(sql, at + match.Length, out match))
        {
            expanded.Append(sql, copied, at - copied).Append(relation(match.Groups[1].Value));
            copied = at + match.Length;
        }

        return expanded.Append(sql, copied, sql.Length - copied).ToString();
    }

    /// <summary>
    /// <paramref name="sql"/> with <paramref name="commonTables"/> (<c>"name" AS (...)</c>, comma-separated) as its
    /// first common table expressions: added to the query's own <c>WITH</c> (or <c>WITH RECURSIVE</c>) when it starts
    /// with one, else as a <c>WITH</c> of their own. Leading comments are kept before it.
    /// </summary>
    internal static string WithCommonTables(string sql, string commonTables)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(commonTables);
        var start = SkipSpaceAndComments(sql, 0);
        if (Keyword(sql, start, "WITH") is { } afterWith)
        {
            var afterSpace = SkipSpaceAndComments(sql, afterWith);
            var insertAt = Keyword(sql, afterSpace, "RECURSIVE") ?? afterWith;
            return $"{sql[..insertAt]} {commonTables},{sql[insertAt..]}";
        }

        return $"{sql[..start]}WITH {commonTables}\n{sql[start..]}";
    }

    private static int SkipSpaceAndComments(string sql, int i)
    {
        while (i < sql.Length)
        {
            if (char.IsWhiteSpace(sql[i]))
            {
                i++;
            }
            else if (AfterComment(sql, i) is { } end)
            {
                i = end;
            }
            else
            {
                break;
            }
        }

        return i;
    }

    /// <summary>
    /// The position after the comment that opens at <paramref name="i"/> (<c>--</c> to the end of the line,
    /// <c>/* ... */</c>), or null when none opens there. An unterminated comment runs to the end of the text.
    /// </summary>
    private static int? AfterComment(string sql, int i)
    {
        var next = i + 1 < sql.Length ? sql[i + 1] : '\0';
        if (sql[i] == '-' && next == '-')
        {
            var end = sql.IndexOf('\n', i + 2);
            return end < 0 ? sql.Length : end + 1;
        }

        if (sql[i] == '/' && next == '*')
        {
            var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
            return end < 0 ? sql.Length : end + 2;
        }

        return null;
    }

    /// <summary>The position after <paramref name="keyword"/> when the text at <paramref name="at"/> is that word (any case), else null.</summary>
    private static int? Keyword(string sql, int at, string keyword) =>
        at + keyword.Length <= sql.Length
        && string.Compare(sql, at, keyword, 0, keyword.Length, StringComparison.OrdinalIgnoreCase) == 0
        && (at + keyword.Length == sql.Length || !IsWordCharacter(sql[at + keyword.Length]))
            ? at + keyword.Length
            : null;

    /// <summary>
    /// The position of the first <c>{{ name }}</c> at or after <paramref name="from"/> that is outside every string
    /// literal (<c>'...'</c>, <c>E'...'</c> with backslash escapes, PostgreSQL's <c>$tag$...$tag$</c>), quoted
    /// identifier (<c>"..."</c>) and comment (<c>--</c> to the end of the line, <c>/* ... */</c>); -1 with a null
    /// <paramref name="match"/> when there is none. An unterminated literal or comment runs to the end of the text,
    /// as the engines read it.
    /// </summary>
    private static int NextReference(string sql, int from, out Match? match)
    {
        var i = from;
        while (i < sql.Length)
        {
            var c = sql[i];
            var next = i + 1 < sql.Length ? sql[i + 1] : '\0';
            switch (c)
            {
                case '\'':
                    var escapes = i > 0 && sql[i - 1] is 'E' or 'e' && (i == 1 || !IsWordCharacter(sql[i - 2]));
                    i = SkipQuoted(sql, i, '\'', escapes);
                    break;
                case '"':
                    i = SkipQuoted(sql, i, '"', backslashEscapes: false);
                    break;
                case '-' or '/' when AfterComment(sql, i) is { } afterComment:
                    i = afterComment;
                    break;
                case '$' when DollarTag(sql, i) is { } tag:
                    var endOfString = sql.IndexOf(tag, i + tag.Length, StringComparison.Ordinal);
                    i = endOfString < 0 ? sql.Length : endOfString + tag.Length;
                    break;
                case '{' when next == '{' && ReferencePattern().Match(sql, i) is { Success: true } found:
                    match = found;
                    return i;
                default:
                    i++;
                    break;
            }
        }

        match = null;
        return -1;
    }

    /// <summary>The position after the literal or identifier opened by the quote at <paramref name="open"/>; a doubled quote stays inside.</summary>
    private static int SkipQuoted(string sql, int open, char quote, bool backslashEscapes)
    {
        for (var i = open + 1; i < sql.Length; i++)
        {
            if (backslashEscapes && sql[i] == '\\')
            {
                i++;
            }
            else if (sql[i] == quote)
            {
                if (i + 1 < sql.Length && sql[i + 1] == quote)
                {
                    i++;
                }
                else
                {
                    return i + 1;
                }
            }
        }

        return sql.Length;
    }

    /// <summary>The dollar-quote tag (<c>$$</c> or <c>$name$</c>) that opens at <paramref name="at"/>, or null when the <c>$</c> opens none (such as a parameter <c>$1</c>).</summary>
    private static string? DollarTag(string sql, int at)
    {
        if (at > 0 && IsWordCharacter(sql[at - 1]))
        {
            return null;
        }

        var i = at + 1;
        if (i < sql.Length && (char.IsAsciiLetter(sql[i]) || sql[i] == '_'))
        {
            while (i < sql.Length && IsWordCharacter(sql[i]))
            {
                i++;
            }
        }

        return i < sql.Length && sql[i] == '$' ? sql[at..(i + 1)] : null;
    }

    private static bool IsWordCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    [GeneratedRegex(@"\G\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex ReferencePattern();
}
