using YamlDotNet.Core;

namespace Granary.Registry.Loading;

/// <summary>
/// Turns a YAML parser failure into where the mistake really is and what to do about it, in plain words. The parser
/// reports where it gave up, which for a tab or an unclosed bracket is often lines after the cause.
/// </summary>
internal static class YamlSyntaxHints
{
    /// <summary>A syntax error: 1-based line and column, and the message without the parser's own location prefix.</summary>
    public readonly record struct Explanation(int Line, int Column, string Message);

    public const string TabHint = "tabs are not allowed for indentation in YAML; use spaces";

    /// <summary>Explains <paramref name="e"/>, raised while parsing <paramref name="text"/>.</summary>
    public static Explanation Explain(string text, YamlException e, string reason)
    {
        var line = Math.Max(1, (int)e.Start.Line);
        var column = Math.Max(1, (int)e.Start.Column);

        // A tab in the indentation is the cause whatever the parser made of it, and wherever it stopped: reading a
        // plain value it may run onto the tab's line, and a broken block may be reported where the block starts.
        if (FirstIndentingTab(text) is { } tab)
        {
            return new(tab.Line, tab.Column, $"a tab indents line {tab.Line}: {TabHint}.");
        }

        if (reason.Contains("flow sequence", StringComparison.Ordinal) || reason.Contains("flow mapping", StringComparison.Ordinal))
        {
            if (UnclosedBracket(text) is { } open)
            {
                return Unclosed(open);
            }

            return new(line, column, $"items of a '[...]' or '{{...}}' list must be separated by commas ({reason.TrimEnd('.')}).");
        }

        const string Alignment = "this line is indented differently from the lines above it: the keys of one mapping, and the items ('- ') of one list, start at the same column; indent with spaces";
        var hint = reason switch
        {
            _ when (reason.Contains("did not find expected", StringComparison.Ordinal) || reason.Contains("could not find expected ':'", StringComparison.Ordinal))
                && LineAt(text, line) is { } content && LacksColon(content) =>
                $"line {line} has no ':'. A key needs ':' and a space after it (key: value)",
            _ when reason.Contains("Mapping values are not allowed", StringComparison.Ordinal) || reason.Contains("found invalid mapping", StringComparison.Ordinal) =>
                "a ':' followed by a space starts a key, which is not allowed here. Quote a value that contains ': ' (\"a: b\"), or check that this line is not indented further than its key",
            _ when reason.Contains("did not find expected key", StringComparison.Ordinal) => Alignment,
            _ when reason.Contains("did not find expected '-' indicator", StringComparison.Ordinal) => Alignment,
            _ when reason.Contains("could not find expected ':'", StringComparison.Ordinal) =>
                "a key needs ':' and a space after it (key: value); a list item starts with '- '",
            _ when reason.Contains("quoted scalar, found unexpected end of stream", StringComparison.Ordinal)
                || reason.Contains("quoted scalar, found wrong indentation", StringComparison.Ordinal) =>
                "a quoted string is never closed; end it with the same quote it starts with",
            _ when reason.Contains("unknown escape character", StringComparison.Ordinal) =>
                "a backslash in a double-quoted string starts an escape such as \\n; write \\\\ for a backslash, or use single quotes",
            _ when reason.Contains("cannot start any token", StringComparison.Ordinal) =>
                $"{Describe(CharAt(text, line, column))} cannot start a value; put the value in quotes",
            _ when reason.Contains("Duplicate key", StringComparison.OrdinalIgnoreCase) =>
                $"the key {KeyAt(text, line, column)}appears twice in the same mapping; keep one",
            _ => null,
        };
        return new(line, column, hint ?? reason);
    }

    /// <summary>For a file that ends inside a flow collection (the parser fails without a location).</summary>
    public static Explanation ExplainUnexpectedEnd(string text)
    {
        if (UnclosedBracket(text) is { } open)
        {
            return Unclosed(open);
        }

        var lastLine = Math.Max(1, text.TrimEnd().Split('\n').Length);
        return new(lastLine, 1, "the file ends inside an unclosed '[' or '{'.");
    }

    private static Explanation Unclosed((int Line, int Column, char Bracket) open)
    {
        var (close, what) = open.Bracket == '[' ? (']', "list") : ('}', "mapping");
        return new(open.Line, open.Column, $"the '{open.Bracket}' on line {open.Line} is never closed; add '{close}' where the {what} ends.");
    }

    private static (int Line, int Column)? FirstIndentingTab(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            // A line of blanks only is an empty line, tabs or not.
            var l = lines[i].TrimEnd('\r');
            if (l.AsSpan().Trim(" \t").IsEmpty)
            {
                continue;
            }

            // Indentation is the run of blanks a line starts with.
            for (var c = 0; c < l.Length && l[c] is ' ' or '\t'; c++)
            {
                if (l[c] == '\t')
                {
                    return (i + 1, c + 1);
                }
            }
        }

        return null;
    }

    // The innermost bracket still open at the end of the text, skipping quoted strings and comments.
    private static (int Line, int Column, char Bracket)? UnclosedBracket(string text)
    {
        var open = new Stack<(int, int, char)>();
        int line = 1, column = 0;
        char quote = '\0';
        var comment = false;
        var previous = '\n';
        foreach (var ch in text)
        {
            column++;
            if (ch == '\n')
            {
                line++;
                column = 0;
                comment = false;
                previous = ch;
                continue;
            }

            if (comment)
            {
                continue;
            }

            if (quote != '\0')
            {
                quote = ch == quote ? '\0' : quote;
            }
            else if (ch == '#' && char.IsWhiteSpace(previous))
            {
                comment = true;
            }
            else if (ch is '"' or '\'' && (char.IsWhiteSpace(previous) || previous is '[' or '{' or ',' or ':'))
            {
                quote = ch;
            }
            else if (ch is '[' or '{')
            {
                open.Push((line, column, ch));
            }
            else if (ch is ']' or '}' && open.Count > 0)
            {
                open.Pop();
            }

            previous = ch;
        }

        return open.Count > 0 ? open.Peek() : null;
    }

    private static string? LineAt(string text, int line)
    {
        var lines = text.Split('\n');
        return line - 1 < lines.Length ? lines[line - 1].TrimEnd('\r') : null;
    }

    // A line with content but no key: not a list item of its own, a comment or a document marker.
    private static bool LacksColon(string line)
    {
        var content = line.Trim();
        return content.Length > 0 && !content.Contains(':', StringComparison.Ordinal)
            && content[0] is not ('-' or '#' or '[' or '{' or '"' or '\'' or '.');
    }

    private static char? CharAt(string text, int line, int column)
    {
        var lines = text.Split('\n');
        return line - 1 < lines.Length && column - 1 < lines[line - 1].Length ? lines[line - 1][column - 1] : null;
    }

    private static string Describe(char? c) => c switch
    {
        null => "this character",
        '@' or '`' => $"'{c}' (reserved in YAML)",
        '%' => "'%' (a directive marker)",
        _ => $"'{c}'",
    };

    private static string KeyAt(string text, int line, int column)
    {
        var lines = text.Split('\n');
        if (line - 1 >= lines.Length || column - 1 >= lines[line - 1].Length)
        {
            return "";
        }

        var rest = lines[line - 1][(column - 1)..];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? $"'{rest[..colon].Trim()}' " : "";
    }
}
