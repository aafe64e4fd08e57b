using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Streaming.Definitions;
using Granary.Streaming.Ingest;

namespace Granary.OnlineServing;

/// <summary>
/// The stream half of an <see cref="OnlineViewPlan"/>: the view's compiled aggregation plan, compiled once per registry
/// version on first use. A view whose aggregations do not compile (which <c>plan</c> refuses, so only a registry
/// written by another version could hold one) fails where it is used, with the definition's own path.
/// </summary>
internal sealed class StreamViewState(FeatureView view, int schemaCount, string onlineNamespace)
{
    private readonly Lazy<StreamViewTarget> _target = new(() => Compile(view, schemaCount, onlineNamespace));

    public StreamViewTarget Target => _target.Value;

    private static StreamViewTarget Compile(FeatureView view, int schemaCount, string onlineNamespace)
    {
        StreamViewTarget target;
        try
        {
            // Ingest keys aggregate states by the target's view: the online namespace of the view's major version.
            target = StreamViewTarget.For(view) with { View = onlineNamespace };
        }
        catch (StreamDefinitionException e)
        {
            throw new GranaryException(ErrorCodes.InvalidDefinition, $"Stream feature view '{view.Name}', {e.Path}: {e.Message}", e);
        }

        // The schema is the plan's features in plan order (StreamViewResolver), which reads rely on.
        if (target.Plan.Features.Count != schemaCount)
        {
            throw new GranaryException(
                ErrorCodes.InvalidDefinition,
                $"Stream feature view '{view.Name}' has {schemaCount} features in its schema but its aggregations produce {target.Plan.Features.Count}; apply its definition again.");
        }

        return target;
    }
}
