using System.Diagnostics.CodeAnalysis;
using Granary.Core.Model;
using Granary.Core.Providers;

namespace Granary.Offline.Retrieval;

/// <summary>
/// What a rule evaluation reads: the source rows of one view whose event time is in [<see cref="Start"/>,
/// <see cref="End"/>) (the rows a profile reads), and the rules of the fields in <see cref="PointInTimeView.Features"/>.
/// </summary>
/// <param name="View">The view, its batch source, its join keys and the fields whose rules are evaluated.</param>
/// <param name="JoinKeyTypes">The type of each join key, in the order of <see cref="PointInTimeView.JoinKeys"/>: expressions may read them.</param>
/// <param name="Start">The first event time included; null for no lower bound.</param>
/// <param name="End">The event time the period ends before; null for no upper bound.</param>
/// <param name="RepositoryRoot">The folder relative file sources are read from.</param>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public sealed record RuleEvaluationRequest(
    PointInTimeView View, IReadOnlyList<FeatureType> JoinKeyTypes, DateTimeOffset? Start, DateTimeOffset? End, string RepositoryRoot)
{
    /// <summary>The rules, prepared: parameters read and expressions bound to the view's columns.</summary>
    internal List<Quality.Rules.ViewRule> Rules() =>
        Quality.Rules.ViewRules.For(View.View, View.Features, Quality.Rules.ViewRules.Columns(View.View, View.JoinKeys, JoinKeyTypes));
}
