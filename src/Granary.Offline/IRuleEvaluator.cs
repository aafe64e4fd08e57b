using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;
using Granary.Offline.Retrieval;
using Granary.Quality.Rules;

namespace Granary.Offline;

/// <summary>
/// The validation rules of a view's fields evaluated inside the engine over its source rows in a period, in one
/// statement whatever the number of rules (docs/quality.md, "Validating on demand", says what each rule counts).
/// </summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public interface IRuleEvaluator
{
    /// <summary>One outcome per rule of the requested features, in their order and each field's declaration order.</summary>
    Task<IReadOnlyList<RuleOutcome>> EvaluateRulesAsync(RuleEvaluationRequest request, CancellationToken cancellationToken = default);
}
