using System.Globalization;

namespace Granary.Quality.Expressions;

/// <summary>
/// A recursive-descent parser of the expression language. Precedence, lowest first: <c>or</c>, <c>and</c>,
/// <c>not</c>, comparisons (which do not chain), <c>+ -</c>, <c>* /</c>, unary <c>-</c>, then literals, columns,
/// calls and parentheses. Every error names the column where it is.
/// </summary>
internal sealed class ExpressionParser
{
    private readonly List<ExpressionToken> _tokens;
    private int _next;

    private ExpressionParser(List<ExpressionToken> tokens) => _tokens = tokens;

    public static ExpressionNode Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new ExpressionParser(ExpressionLexer.Tokenize(text));
        if (parser.Peek.Kind == ExpressionTokenKind.End)
        {
            throw new ExpressionException("The expression is empty", 0);
        }

        var root = parser.Or();
        if (parser.Peek.Kind != ExpressionTokenKind.End)
        {
            throw new ExpressionException($"Unexpected {Describe(parser.Peek)} after a complete expression; join conditions with 'and' or 'or'", parser.Peek.Position);
        }

        return root;
    }

    private ExpressionToken Peek => _tokens[_next];

    private ExpressionToken Take() => _tokens[_next++];

    private ExpressionNode Or()
    {
        var left = And();
        while (Peek.Kind == ExpressionTokenKind.Or)
        {
            var op = Take();
            left = new BinaryNode(op.Position, op.Kind, left, And());
        }

        return left;
    }

    private ExpressionNode And()
    {
        var left = Not();
        while (Peek.Kind == ExpressionTokenKind.And)
        {
            var op = Take();
            left = new BinaryNode(op.Position, op.Kind, left, Not());
        }

        return left;
    }

    private ExpressionNode Not()
    {
        if (Peek.Kind == ExpressionTokenKind.Not)
        {
            var op = Take();
            return new UnaryNode(op.Position, op.Kind, Not());
        }

        return Comparison();
    }

    private ExpressionNode Comparison()
    {
        var left = Additive();
        if (!IsComparison(Peek.Kind))
        {
            return left;
        }

        var op = Take();
        var right = Additive();
        if (IsComparison(Peek.Kind))
        {
            throw new ExpressionException($"Comparisons do not chain: write 'a {op.Text} b and b {Peek.Text} c'", Peek.Position);
        }

        return new BinaryNode(op.Position, op.Kind, left, right);
    }

    private ExpressionNode Additive()
    {
        var left = Multiplicative();
        while (Peek.Kind is ExpressionTokenKind.Plus or ExpressionTokenKind.Minus)
        {
            var op = Take();
            left = new BinaryNode(op.Position, op.Kind, left, Multiplicative());
        }

        return left;
    }

    private ExpressionNode Multiplicative()
    {
        var left = Unary();
        while (Peek.Kind is ExpressionTokenKind.Star or ExpressionTokenKind.Slash)
        {
            var op = Take();
            left = new BinaryNode(op.Position, op.Kind, left, Unary());
        }

        return left;
    }

    private ExpressionNode Unary()
    {
        if (Peek.Kind == ExpressionTokenKind.Minus)
        {
            var op = Take();
            return new UnaryNode(op.Position, op.Kind, Unary());
        }

        return Primary();
    }

    private ExpressionNode Primary()
    {
        var token = Take();
        switch (token.Kind)
        {
            case ExpressionTokenKind.Integer:
                return new LiteralNode(token.Position, long.Parse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture));
            case ExpressionTokenKind.Float:
                return new LiteralNode(token.Position, double.Parse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture));
            case ExpressionTokenKind.String:
                return new LiteralNode(token.Position, token.Text);
            case ExpressionTokenKind.True or ExpressionTokenKind.False:
                return new LiteralNode(token.Position, token.Kind == ExpressionTokenKind.True);
            case ExpressionTokenKind.Null:
                return new LiteralNode(token.Position, null);
            case ExpressionTokenKind.OpenParen:
                var inner = Or();
                Expect(ExpressionTokenKind.CloseParen, $"')' to close the '(' at column {token.Position + 1}");
                return inner;
            case ExpressionTokenKind.OpenBracket:
                return List(token);
            case ExpressionTokenKind.Identifier when Peek.Kind == ExpressionTokenKind.OpenParen:
                return Call(token);
            case ExpressionTokenKind.Identifier:
                return new ColumnNode(token.Position, token.Text);
            default:
                throw new ExpressionException($"Expected a value (a column, a number, a 'string', true, false, null, a function call, a [list] or '('), found {Describe(token)}", token.Position);
        }
    }

    private CallNode Call(ExpressionToken name)
    {
        var function = name.Text.ToLowerInvariant();
        if (!ExpressionFunctions.Names.Contains(function))
        {
            var hint = Granary.Core.Errors.Suggestions.Closest(function, ExpressionFunctions.Names) is { } s ? $" (did you mean '{s}'?)" : "";
            throw new ExpressionException($"Unknown function '{name.Text}'{hint}; the functions are {string.Join(", ", ExpressionFunctions.Names)}", name.Position);
        }

        Take();
        var arguments = new List<ExpressionNode>();
        if (Peek.Kind != ExpressionTokenKind.CloseParen)
        {
            arguments.Add(Or());
            while (Peek.Kind == ExpressionTokenKind.Comma)
            {
                Take();
                arguments.Add(Or());
            }
        }

        Expect(ExpressionTokenKind.CloseParen, $"',' or ')' in the call of {function}");
        var (min, max) = ExpressionFunctions.Arity(function);
        if (arguments.Count < min || arguments.Count > max)
        {
            var expected = max == int.MaxValue ? $"at least {min} arguments" : max == 1 ? "one argument" : $"{min} arguments";
            throw new ExpressionException($"{function} takes {expected}, not {arguments.Count}", name.Position);
        }

        return new CallNode(name.Position, function, arguments);
    }

    private ListNode List(ExpressionToken open)
    {
        var items = new List<ExpressionNode>();
        if (Peek.Kind != ExpressionTokenKind.CloseBracket)
        {
            items.Add(Or());
            while (Peek.Kind == ExpressionTokenKind.Comma)
            {
                Take();
                items.Add(Or());
            }
        }

        Expect(ExpressionTokenKind.CloseBracket, $"',' or ']' to close the '[' at column {open.Position + 1}");
        return new ListNode(open.Position, items);
    }

    private void Expect(ExpressionTokenKind kind, string what)
    {
        if (Peek.Kind != kind)
        {
            throw new ExpressionException($"Expected {what}, found {Describe(Peek)}", Peek.Position);
        }

        Take();
    }

    private static bool IsComparison(ExpressionTokenKind kind) => kind is ExpressionTokenKind.Equal or ExpressionTokenKind.NotEqual
        or ExpressionTokenKind.Less or ExpressionTokenKind.LessOrEqual or ExpressionTokenKind.Greater or ExpressionTokenKind.GreaterOrEqual;

    private static string Describe(ExpressionToken token) => token.Kind switch
    {
        ExpressionTokenKind.End => "the end of the expression",
        ExpressionTokenKind.String => $"the string '{token.Text}'",
        _ => $"'{token.Text}'",
    };
}
