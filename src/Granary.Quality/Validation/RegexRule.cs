using System.Text.RegularExpressions;
using Granary.Core.Model;
using Granary.Core.Values;

namespace Granary.Quality.Validation;

/// <summary>
/// <c>regex</c>: the pattern matches somewhere in the string (anchor it with <c>^...$</c> for the whole value), as
/// the engines' <c>regexp_matches</c> and <c>~</c> do. Compiled once; a value that takes longer than
/// <see cref="MatchTimeout"/> to match fails the rule rather than stall the write.
/// </summary>
internal sealed class RegexRule(string feature, FieldValidationRule declaration, int cell) : RowRule(feature, declaration, cell)
{
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    private readonly Regex _pattern = new(declaration.Parameters["pattern"].GetString()!, RegexOptions.CultureInvariant | RegexOptions.Compiled, MatchTimeout);

    public override bool Passes(FeatureValue[] cells, int first, CellExpressionRow? scratch)
    {
        ref readonly var value = ref cells[first + Cell];
        if (value.IsNull)
        {
            return true;
        }

        try
        {
            return _pattern.IsMatch(value.AsString());
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
