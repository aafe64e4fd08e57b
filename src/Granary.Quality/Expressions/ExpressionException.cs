using Granary.Contracts.Errors;
using Granary.Core.Errors;

namespace Granary.Quality.Expressions;

/// <summary>
/// A mistake in an expression: what is wrong and at which 1-based <see cref="Column"/> of the expression text, so the
/// definition's line plus the column point at it.
/// </summary>
internal sealed class ExpressionException : GranaryException
{
    internal ExpressionException(string problem, int position)
        : base(ErrorCodes.InvalidDefinition, $"{problem} (at column {position + 1})")
    {
        Problem = problem;
        Column = position + 1;
    }

    /// <summary>What is wrong, without the position.</summary>
    public string Problem { get; }

    /// <summary>The 1-based column of the expression text where the mistake is.</summary>
    public int Column { get; }
}
