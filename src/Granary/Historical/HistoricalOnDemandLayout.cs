using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.OnDemand;

namespace Granary.Historical;

/// <summary>
/// The output of a historical request with on-demand features: after the entity table's columns, each requested
/// feature, grouped by view in the order the views are first named (as the engine orders stored features). A stored
/// feature copies its engine column (<c>view__feature</c>: the engine joins with full names, so hidden source features
/// cannot collide); an on-demand feature is computed by its view's compiled plan, the one online serving runs.
/// </summary>
internal sealed class HistoricalOnDemandLayout
{
    private HistoricalOnDemandLayout(HistoricalColumn[] columns, OnDemandViewPlan[] plans)
    {
        Columns = columns;
        Plans = plans;
    }

    /// <summary>The feature columns of the output, in order.</summary>
    public HistoricalColumn[] Columns { get; }

    /// <summary>The on-demand views computed, each once per row.</summary>
    public OnDemandViewPlan[] Plans { get; }

    public static HistoricalOnDemandLayout Of(
        IReadOnlyList<FeatureReference> references, IReadOnlyList<(FeatureReference Reference, OnDemandViewPlan Plan, int Feature)> computed, bool fullFeatureNames)
    {
        var order = new List<string>();
        foreach (var reference in references)
        {
            if (!order.Contains(reference.QualifiedView))
            {
                order.Add(reference.QualifiedView);
            }
        }

        var columns = new List<HistoricalColumn>();
        var plans = new List<OnDemandViewPlan>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var view in order)
        {
            foreach (var reference in references)
            {
                if (reference.QualifiedView != view || columns.Exists(c => c.Reference == reference))
                {
                    continue;
                }

                var name = fullFeatureNames ? $"{reference.QualifiedView}__{reference.Feature}" : reference.Feature;
                if (!names.Add(name))
                {
                    throw new GranaryException(
                        ErrorCodes.InvalidArgument,
                        $"Feature column '{name}' would appear twice in the training data.{(fullFeatureNames ? "" : " Request full feature names to tell the views apart.")}");
                }

                var onDemand = computed.FirstOrDefault(c => c.Reference == reference);
                if (onDemand.Plan is { } plan)
                {
                    var p = plans.IndexOf(plan);
                    if (p < 0)
                    {
                        p = plans.Count;
                        plans.Add(plan);
                    }

                    columns.Add(new HistoricalColumn(reference, name, null, p, onDemand.Feature));
                }
                else
                {
                    columns.Add(new HistoricalColumn(reference, name, EngineColumn(reference), -1, -1));
                }
            }
        }

        return new HistoricalOnDemandLayout([.. columns], [.. plans]);
    }

    /// <summary>The engine's column for a stored feature, joined with full feature names.</summary>
    public static string EngineColumn(FeatureReference reference) => $"{reference.QualifiedView}__{reference.Feature}";
}

/// <summary>
/// One feature column of a historical output: copied from <see cref="EngineColumn"/>, or computed by feature
/// <see cref="Feature"/> of plan <see cref="Plan"/>.
/// </summary>
internal sealed record HistoricalColumn(FeatureReference Reference, string Name, string? EngineColumn, int Plan, int Feature);
