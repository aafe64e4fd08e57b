using Granary.Contracts.Errors;
using Granary.Core.Model;
using Granary.Quality.Expressions;
using Granary.Quality.Profiles;
using Granary.Registry.Loading;
using Granary.Registry.Monitoring;
using Granary.Registry.Validation;

namespace Granary.OnDemand;

/// <summary>
/// Fills each on-demand view's <see cref="OnDemandFeatureView.Statistics"/> when it is planned: every source feature
/// that a <c>zscore</c> or <c>minmax</c> scales gets the numbers of its view's newest stored profile. Kept with the
/// definition, they are the numbers every read of that registry version uses; a newer profile changes the view at the
/// next plan, so its effect shows as a new version rather than as silently moving values.
/// </summary>
internal sealed class OnDemandStatisticsResolver(IProfileStore? profiles, string project, DefinitionLocations locations, DiagnosticBag diagnostics)
{
    private readonly Dictionary<string, ViewProfile?> _newest = new(StringComparer.Ordinal);

    /// <summary>The definitions with statistics filled; a feature scaled by a view with no stored profile is reported at its <c>expr</c>.</summary>
    public async Task<DefinitionSet> ResolveAsync(DefinitionSet definitions, CancellationToken cancellationToken)
    {
        List<OnDemandFeatureView>? resolved = null;
        for (var v = 0; v < definitions.OnDemandFeatureViews.Count; v++)
        {
            var view = definitions.OnDemandFeatureViews[v];
            var statistics = await StatisticsOfAsync(view, cancellationToken);
            if (statistics.Count > 0)
            {
                resolved ??= [.. definitions.OnDemandFeatureViews];
                resolved[v] = view with { Statistics = statistics };
            }
        }

        return resolved is null ? definitions : definitions with { OnDemandFeatureViews = resolved };
    }

    private async Task<List<OnDemandStatistic>> StatisticsOfAsync(OnDemandFeatureView view, CancellationToken cancellationToken)
    {
        var statistics = new List<OnDemandStatistic>();
        for (var f = 0; f < view.Features.Count; f++)
        {
            if (view.Features[f].Expression is not { } text)
            {
                continue;
            }

            IReadOnlyList<string> scaled;
            try
            {
                scaled = ExpressionStatistics.ScaledColumns(text);
            }
            catch (ExpressionException)
            {
                continue; // The checker has reported it.
            }

            foreach (var column in scaled)
            {
                if (statistics.Exists(s => s.Feature == column))
                {
                    continue;
                }

                var dot = column.IndexOf('.', StringComparison.Ordinal);
                var (source, feature) = (column[..dot], column[(dot + 1)..]);
                var profile = await NewestAsync(source, cancellationToken);
                var stats = profile?.Features.FirstOrDefault(p => p.Name == feature);
                if (profile is null || stats is null)
                {
                    diagnostics.Add(
                        ErrorCodes.InvalidDefinition,
                        $"On-demand feature view '{view.Name}': feature '{view.Features[f].Name}' scales '{column}' by the newest stored profile of '{source}', "
                            + (profile is null ? $"which has none; profile it first ('granary profile {source}')." : $"whose newest profile ({profile.Id}) has no feature '{feature}'; profile it again."),
                        locations.Of(view, $"features[{f}].expr"));
                    continue;
                }

                statistics.Add(new OnDemandStatistic(column, profile.Id) { Mean = stats.Mean, StdDev = stats.StdDev, Min = stats.Min, Max = stats.Max });
            }
        }

        statistics.Sort((a, b) => string.CompareOrdinal(a.Feature, b.Feature));
        return statistics;
    }

    private async Task<ViewProfile?> NewestAsync(string view, CancellationToken cancellationToken)
    {
        if (!_newest.TryGetValue(view, out var profile))
        {
            profile = profiles is null ? null : (await profiles.ListProfilesAsync(project, view, 1, cancellationToken)) is [var first, ..] ? first : null;
            _newest[view] = profile;
        }

        return profile;
    }

    /// <summary>The statistics of a view as the binder takes them, by source feature.</summary>
    public static Dictionary<string, ExpressionStatistics> ForBinding(OnDemandFeatureView view)
    {
        var map = new Dictionary<string, ExpressionStatistics>(view.Statistics.Count, StringComparer.Ordinal);
        foreach (var s in view.Statistics)
        {
            map[s.Feature] = new ExpressionStatistics(s.Mean, s.StdDev, s.Min, s.Max);
        }

        return map;
    }
}
