using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.OnlineServing;

namespace Granary;

// A/B tests of feature view versions: assignment and serving.
public sealed partial class FeatureStore
{
    /// <summary>
    /// The variant <paramref name="unitId"/> is assigned in the registry's experiment <paramref name="experiment"/>
    /// (<see cref="ExperimentAssignment"/>: the same in every process and language).
    /// </summary>
    /// <exception cref="GranaryException">No such experiment (<see cref="ErrorCodes.NotFound"/>); no unit (<see cref="ErrorCodes.InvalidArgument"/>).</exception>
    public async Task<ExperimentVariant> AssignExperimentAsync(string experiment, string unitId, CancellationToken cancellationToken = default)
    {
        var found = await FindExperimentAsync(experiment, cancellationToken);
        return ExperimentAssignment.Assign(found, RequireUnit(experiment, unitId));
    }

    /// <summary>
    /// The request as its unit's variant reads it: every reference to the experiment's view without a version (a feature
    /// service's included) is pinned to the variant's version, so the pinned read serves the variant's values.
    /// </summary>
    private async Task<(OnlineFeaturesRequest Request, ServedExperiment Served, string View)> ForExperimentAsync(OnlineFeaturesRequest request, CancellationToken cancellationToken)
    {
        var name = request.Experiment!;
        var experiment = await FindExperimentAsync(name, cancellationToken);
        var variant = ExperimentAssignment.Assign(experiment, RequireUnit(name, request.UnitId));
        IReadOnlyList<string> features = request.Features;
        if (request.FeatureService is { } serviceName)
        {
            var registry = await GetRegistryAsync(cancellationToken);
            var service = registry.Definitions.FindFeatureService(serviceName)
                ?? throw new GranaryException(ErrorCodes.NotFound, $"Feature service '{serviceName}' does not exist.");
            var texts = new string[service.Features.Count];
            for (var i = 0; i < texts.Length; i++)
            {
                texts[i] = service.Features[i].ToString();
            }

            features = texts;
        }

        var pinned = new string[features.Count];
        for (var i = 0; i < pinned.Length; i++)
        {
            pinned[i] = FeatureReference.TryParse(features[i], out var reference) && reference.View == experiment.FeatureView && reference.Version is null
                ? (reference with { Version = variant.Version }).ToString()
                : features[i];
        }

        return (request with { Features = pinned, FeatureService = null }, new ServedExperiment(experiment.Name, variant.Name), experiment.FeatureView);
    }

    private async Task<Experiment> FindExperimentAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var registry = await GetRegistryAsync(cancellationToken);
        if (registry.Definitions.FindExperiment(name) is { } experiment)
        {
            return experiment;
        }

        var known = registry.Definitions.Experiments;
        var names = known.Count == 0 ? "there are none; define one under experiments: and run granary apply" : "there are " + string.Join(", ", known.Select(e => e.Name));
        throw new GranaryException(ErrorCodes.NotFound, $"Experiment '{name}' does not exist; {names}.");
    }

    private static string RequireUnit(string experiment, string? unitId) =>
        string.IsNullOrEmpty(unitId)
            ? throw new GranaryException(ErrorCodes.InvalidArgument, $"unit_id: missing; a request for experiment '{experiment}' names the unit (a user, a session) to assign a variant.")
            : unitId;
}
