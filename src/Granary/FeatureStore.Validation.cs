using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Offline;
using Granary.Offline.Retrieval;
using Granary.Quality.Rules;
using Granary.Resolution;

namespace Granary;

// Validation on demand: a view's rules evaluated inside the offline engine over its source rows in a period.
public sealed partial class FeatureStore
{
    /// <summary>
    /// Evaluates every validation rule of every field of <paramref name="view"/> inside the offline engine, over the
    /// view's source rows whose event time is in [<paramref name="start"/>, <paramref name="end"/>), in one statement
    /// (docs/quality.md, "Validating on demand"). Nothing is written.
    /// </summary>
    /// <param name="view">The feature view (<c>view@v2</c> for a pinned version's rules).</param>
    /// <param name="start">The first event time included; null for the source's first row.</param>
    /// <param name="end">The event time the period ends before (excluded); null for no upper bound.</param>
    /// <param name="cancellationToken">Stops the evaluation.</param>
    /// <returns>Every rule's counts and example; <see cref="ValidationReport.Passed"/> is false when an <c>error</c> rule does not hold.</returns>
    /// <exception cref="GranaryException">
    /// <see cref="ErrorCodes.NotFound"/>: no such view. <see cref="ErrorCodes.InvalidArgument"/>: <paramref name="start"/>
    /// is not before <paramref name="end"/>, the engine cannot evaluate rules or cannot read the view's source.
    /// <see cref="ErrorCodes.SourceUnavailable"/>: the offline store does not answer.
    /// </exception>
    public async Task<ValidationReport> ValidateAsync(string view, DateTimeOffset? start = null, DateTimeOffset? end = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (start is { } from && end is { } to && from >= to)
        {
            throw new GranaryException(
                ErrorCodes.InvalidArgument,
                $"start ({ValidationReportJson.Time(from)}) must be before end ({ValidationReportJson.Time(to)}).");
        }

        var registry = await GetRegistryAsync(cancellationToken);
        var plan = RegistryResolution.Of(registry).View(view);
        var features = new List<string>(plan.View.Schema.Count);
        foreach (var field in plan.View.Schema)
        {
            if (field.Validation.Count > 0)
            {
                features.Add(field.Name);
            }
        }

        IReadOnlyList<RuleOutcome> rules = [];
        if (features.Count > 0)
        {
            var evaluator = Offline.Require<IRuleEvaluator>($"evaluate the validation rules of '{plan.Label}'");
            var request = new RuleEvaluationRequest(new PointInTimeView(plan.View, plan.RequireSource(), plan.JoinKeys, features), plan.KeyTypes, start, end, Config.RepositoryRoot);
            rules = await evaluator.EvaluateRulesAsync(request, cancellationToken);
        }

        return new ValidationReport { View = plan.Label, Start = start?.ToUniversalTime(), End = end?.ToUniversalTime(), Rules = rules };
    }
}
