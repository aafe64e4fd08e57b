using Granary.Core.Model;

namespace Granary.Quality.Rules;

/// <summary>
/// The validation rules of one feature view evaluated inside the offline engine over the view's source rows whose
/// event time is in [<see cref="Start"/>, <see cref="End"/>): what <c>granary validate</c> prints and
/// <c>/api/v1/monitoring/validation/{view}</c> answers.
/// </summary>
public sealed record ValidationReport
{
    public required string View { get; init; }

    /// <summary>The first event time included; null when the period has no lower bound.</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>The event time the period ends before (excluded); null when it has no upper bound.</summary>
    public DateTimeOffset? End { get; init; }

    /// <summary>Every rule of every feature, in schema order, then in each field's declaration order.</summary>
    public required IReadOnlyList<RuleOutcome> Rules { get; init; }

    /// <summary>False when a rule of severity <c>error</c> does not hold; <c>warn</c> rules never fail the validation.</summary>
    public bool Passed
    {
        get
        {
            foreach (var rule in Rules)
            {
                if (!rule.Passed && rule.Severity == ValidationSeverity.Error)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
