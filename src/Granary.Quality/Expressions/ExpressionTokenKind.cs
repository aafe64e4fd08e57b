namespace Granary.Quality.Expressions;

internal enum ExpressionTokenKind
{
    End,
    Integer,
    Float,
    String,
    Identifier,
    And,
    Or,
    Not,
    True,
    False,
    Null,
    Plus,
    Minus,
    Star,
    Slash,
    OpenParen,
    CloseParen,
    Comma,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}
