namespace Granary.Quality.Expressions;

/// <summary>
/// Splits an expression into tokens. Keywords (<c>and</c>, <c>or</c>, <c>not</c>, <c>true</c>, <c>false</c>,
/// <c>null</c>) are case-insensitive, as in SQL; strings are in single quotes with <c>''</c> for a quote, or in
/// double quotes with <c>""</c> for one (as JSON writes them: <c>one_hot(x, ["a", "b"])</c>). The language has no
/// quoted identifiers, so a double-quoted text is never a column.
/// </summary>
internal static class ExpressionLexer
{
    public static List<ExpressionToken> Tokenize(string text)
    {
        var tokens = new List<ExpressionToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                tokens.Add(Number(text, ref i));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'
                    || (text[i] == '.' && i + 1 < text.Length && (char.IsAsciiLetter(text[i + 1]) || text[i + 1] == '_'))))
                {
                    // A dot between names qualifies a column by its view (customer_txn.avg_amount_7d): one identifier.
                    i++;
                }

                var word = text[start..i];
                tokens.Add(new ExpressionToken(KeywordOf(word), word, start));
            }
            else if (c is '\'' or '"')
            {
                tokens.Add(QuotedString(text, ref i));
            }
            else
            {
                tokens.Add(Operator(text, ref i));
            }
        }

        tokens.Add(new ExpressionToken(ExpressionTokenKind.End, "", text.Length));
        return tokens;
    }

    private static ExpressionTokenKind KeywordOf(string word) => word.ToLowerInvariant() switch
    {
        "and" => ExpressionTokenKind.And,
        "or" => ExpressionTokenKind.Or,
        "not" => ExpressionTokenKind.Not,
        "true" => ExpressionTokenKind.True,
        "false" => ExpressionTokenKind.False,
        "null" => ExpressionTokenKind.Null,
        _ => ExpressionTokenKind.Identifier,
    };

    private static ExpressionToken Number(string text, ref int i)
    {
        var start = i;
        var isFloat = false;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        if (i < text.Length && text[i] == '.')
        {
            isFloat = true;
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            var exponent = i + 1;
            if (exponent < text.Length && text[exponent] is '+' or '-')
            {
                exponent++;
            }

            if (exponent >= text.Length || !char.IsAsciiDigit(text[exponent]))
            {
                throw new ExpressionException($"The number '{text[start..Math.Min(exponent, text.Length)]}' has an exponent without digits", start);
            }

            isFloat = true;
            i = exponent;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        if (i < text.Length && (char.IsAsciiLetter(text[i]) || text[i] == '_'))
        {
            throw new ExpressionException($"Unexpected '{text[i]}' after the number '{text[start..i]}'", i);
        }

        var number = text[start..i];
        if (!isFloat && !long.TryParse(number, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            throw new ExpressionException($"The integer {number} is too large for int64; write {number}.0 for a float", start);
        }

        return new ExpressionToken(isFloat ? ExpressionTokenKind.Float : ExpressionTokenKind.Integer, number, start);
    }

    private static ExpressionToken QuotedString(string text, ref int i)
    {
        var start = i;
        var quote = text[i];
        var value = new System.Text.StringBuilder();
        i++;
        while (true)
        {
            if (i >= text.Length)
            {
                throw new ExpressionException($"The string that starts here has no closing quote ({quote})", start);
            }

            if (text[i] == quote)
            {
                if (i + 1 < text.Length && text[i + 1] == quote)
                {
                    value.Append(quote);
                    i += 2;
                    continue;
                }

                i++;
                return new ExpressionToken(ExpressionTokenKind.String, value.ToString(), start);
            }

            value.Append(text[i]);
            i++;
        }
    }

    private static ExpressionToken Operator(string text, ref int i)
    {
        var start = i;
        var c = text[i];
        var next = i + 1 < text.Length ? text[i + 1] : '\0';
        (ExpressionTokenKind kind, int length) = (c, next) switch
        {
            ('+', _) => (ExpressionTokenKind.Plus, 1),
            ('-', _) => (ExpressionTokenKind.Minus, 1),
            ('*', _) => (ExpressionTokenKind.Star, 1),
            ('/', _) => (ExpressionTokenKind.Slash, 1),
            ('(', _) => (ExpressionTokenKind.OpenParen, 1),
            (')', _) => (ExpressionTokenKind.CloseParen, 1),
            (',', _) => (ExpressionTokenKind.Comma, 1),
            ('[', _) => (ExpressionTokenKind.OpenBracket, 1),
            (']', _) => (ExpressionTokenKind.CloseBracket, 1),
            ('=', '=') => (ExpressionTokenKind.Equal, 2),
            ('=', _) => (ExpressionTokenKind.Equal, 1),
            ('!', '=') => (ExpressionTokenKind.NotEqual, 2),
            ('<', '>') => (ExpressionTokenKind.NotEqual, 2),
            ('<', '=') => (ExpressionTokenKind.LessOrEqual, 2),
            ('<', _) => (ExpressionTokenKind.Less, 1),
            ('>', '=') => (ExpressionTokenKind.GreaterOrEqual, 2),
            ('>', _) => (ExpressionTokenKind.Greater, 1),
            ('&', _) or ('|', _) => throw new ExpressionException($"Unexpected '{c}'; write 'and' or 'or'", start),
            ('!', _) => throw new ExpressionException("Unexpected '!'; write 'not' or '!='", start),
            _ => throw new ExpressionException($"Unexpected character '{c}'", start),
        };
        i += length;
        return new ExpressionToken(kind, text.Substring(start, length), start);
    }
}
