using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Experiments;
using Granary.Offline;
using Granary.OnlineServing;
using Granary.Quality.Drift;

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
    private async Task<(OnlineFeaturesRequest Request, Exposure Exposure)> ForExperimentAsync(OnlineFeaturesRequest request, CancellationToken cancellationToken)
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

        var exposure = new Exposure(experiment.Name, request.UnitId!, variant.Name, experiment.FeatureView, variant.Version.ToString(), _options.TimeProvider.GetUtcNow());
        return (request with { Features = pinned, FeatureService = null }, exposure);
    }

    /// <summary>
    /// The exposures of experiment <paramref name="name"/> served in [<paramref name="start"/>, <paramref name="end"/>)
    /// (by default the last <c>monitoring.serving_log_retention</c> up to now): reads and distinct units per variant
    /// beside the declared shares, and a sample ratio check. Every served read of an experiment is logged to the
    /// offline store's exposure log (written in the background; a store being disposed writes what is queued).
    /// </summary>
    /// <exception cref="GranaryException">No such experiment (<see cref="ErrorCodes.NotFound"/>); a start not before the end (<see cref="ErrorCodes.InvalidArgument"/>).</exception>
    public async Task<ExperimentReport> GetExperimentReportAsync(string name, DateTimeOffset? start = null, DateTimeOffset? end = null, CancellationToken cancellationToken = default)
    {
        var experiment = await FindExperimentAsync(name, cancellationToken);
        var log = Offline.Require<IServingLog>("read the exposure log");
        var until = end ?? _options.TimeProvider.GetUtcNow();
        var from = start ?? until - Monitoring.ServingLogRetention;
        if (from >= until)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"start: {from:O} is not before end {until:O}.");
        }

        // Per variant: reads, and the units seen; per unit, the variant first seen (to count units seen in several).
        var reads = new Dictionary<string, long>(StringComparer.Ordinal);
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        var unitsOf = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var firstVariant = new Dictionary<string, string>(StringComparer.Ordinal);
        var several = new HashSet<string>(StringComparer.Ordinal);
        await using (var rows = await log.ReadAsync(ExposureLog.Table(Project, RepositoryRoot, experiment.Name), from, until, cancellationToken))
        {
            var reader = rows.Reader;
            var unitColumn = reader.GetOrdinal(ExposureLog.UnitColumn);
            var variantColumn = reader.GetOrdinal(ExposureLog.VariantColumn);
            var versionColumn = reader.GetOrdinal(ExposureLog.VersionColumn);
            while (await reader.ReadAsync(cancellationToken))
            {
                var unit = reader.GetString(unitColumn);
                var variant = reader.GetString(variantColumn);
                reads[variant] = reads.GetValueOrDefault(variant) + 1;
                versions.TryAdd(variant, reader.GetString(versionColumn));
                if (!unitsOf.TryGetValue(variant, out var units))
                {
                    unitsOf[variant] = units = new HashSet<string>(StringComparer.Ordinal);
                }

                units.Add(unit);
                if (!firstVariant.TryAdd(unit, variant) && firstVariant[unit] != variant)
                {
                    several.Add(unit);
                }
            }
        }

        var names = new List<string>();
        foreach (var declared in experiment.Variants)
        {
            names.Add(declared.Name);
        }

        foreach (var logged in reads.Keys.Order(StringComparer.Ordinal))
        {
            if (!names.Contains(logged))
            {
                names.Add(logged);
            }
        }

        long unitTotal = 0;
        foreach (var units in unitsOf.Values)
        {
            unitTotal += units.Count;
        }

        var variants = new List<VariantExposures>(names.Count);
        var observed = new long[experiment.Variants.Count];
        var shares = new double[experiment.Variants.Count];
        for (var i = 0; i < names.Count; i++)
        {
            var declared = i < experiment.Variants.Count ? experiment.Variants[i] : null;
            long units = unitsOf.TryGetValue(names[i], out var seen) ? seen.Count : 0;
            variants.Add(new VariantExposures(
                names[i],
                declared?.Version.ToString() ?? versions[names[i]],
                declared?.Share,
                reads.GetValueOrDefault(names[i]),
                units,
                unitTotal == 0 ? 0 : (double)units / unitTotal));
            if (declared is not null)
            {
                (observed[i], shares[i]) = (units, declared.Share);
            }
        }

        double? pValue = experiment.Variants.Count >= 2 && observed.Sum() > 0 ? ChiSquareTest.GoodnessOfFit(observed, shares).PValue : null;
        return new ExperimentReport(experiment.Name, experiment.FeatureView, from, until, variants, firstVariant.Count, several.Count, pValue);
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
