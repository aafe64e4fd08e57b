using Granary.Core.Model;
using Granary.Streaming.Aggregation;
using Granary.Streaming.Definitions;

namespace Granary.Registry.Planning;

/// <summary>
/// Which features of online stream views an apply leaves without state. A feature keeps its state when the registry
/// already serves a feature of that name computed the same way: the same function, column, column type and parameters
/// over the same window and hop (what names its tiles in stored state, <see cref="SeriesPlan.Identity"/>), for entity
/// keys of the same types.
/// </summary>
internal static class StreamFeatureChanges
{
    public static List<NewStreamFeatures> Find(DefinitionSet desired, DefinitionSet stored)
    {
        var changes = new List<NewStreamFeatures>();
        foreach (var view in desired.FeatureViews)
        {
            if (!view.Online || view.Stream is not { } settings || Identities(settings) is not { } wanted)
            {
                continue;
            }

            // State is kept per entity key: keys of other types find none.
            var old = stored.FindFeatureView(view.Name);
            var sameKeys = old is not null && RegistryPlanner.KeyTypes(view, desired).SequenceEqual(RegistryPlanner.KeyTypes(old, stored));
            var kept = sameKeys && old!.Stream is { } oldSettings ? Identities(oldSettings) ?? [] : [];
            var missing = new List<string>();
            foreach (var (name, identity) in wanted)
            {
                if (!kept.TryGetValue(name, out var had) || had != identity)
                {
                    missing.Add(name);
                }
            }

            if (missing.Count > 0)
            {
                changes.Add(new NewStreamFeatures(view.Name, missing, NewView: old is null));
            }
        }

        changes.Sort(static (a, b) => string.CompareOrdinal(a.View, b.View));
        return changes;
    }

    // Each feature's name and where its value comes from; null for settings that do not compile (never applied).
    private static Dictionary<string, (ulong State, Window Window, int Output)>? Identities(StreamSettings settings)
    {
        AggregationPlan plan;
        try
        {
            plan = StreamPlanCompiler.Compile(settings);
        }
        catch (StreamDefinitionException)
        {
            return null;
        }

        var identities = new Dictionary<string, (ulong, Window, int)>(StringComparer.Ordinal);
        foreach (var feature in plan.Features)
        {
            var state = feature.SeriesIndex >= 0 ? plan.Series[feature.SeriesIndex].Identity : plan.Lifetimes[feature.LifetimeIndex].Identity;
            identities[feature.Name] = (state, feature.Window, feature.Output);
        }

        return identities;
    }
}
