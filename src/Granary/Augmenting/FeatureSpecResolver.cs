using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Registry;

namespace Granary.Augmenting;

/// <summary>
/// Checks feature specs (a recipe's, or an augment call's) against the applied registry before anything is read, and
/// names everything unknown at once: a caller fixes a recipe in one round rather than one name per run.
/// </summary>
internal static class FeatureSpecResolver
{
    /// <summary>Each spec's view with its join keys, in order.</summary>
    /// <param name="specs">The specs to check.</param>
    /// <param name="registry">The applied registry.</param>
    /// <param name="what">What named them, for the message (<c>recipe 'experiment'</c>, <c>feature_specs</c>).</param>
    /// <exception cref="GranaryException"><see cref="ErrorCodes.InvalidArgument"/> for an empty or malformed spec; <see cref="ErrorCodes.NotFound"/> naming every unknown namespace and feature.</exception>
    public static List<(FeatureSpec Spec, IReadOnlyList<string> JoinKeys)> Resolve(IReadOnlyList<FeatureSpec> specs, RegistryContents registry, string what)
    {
        ArgumentNullException.ThrowIfNull(specs);
        if (specs.Count == 0)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"{what}: name at least one namespace (feature view) and its features.");
        }

        if (registry.Version == 0)
        {
            throw new GranaryException(ErrorCodes.NotFound, $"The registry of project '{registry.Project}' is empty; run 'granary apply' first.");
        }

        var resolved = new List<(FeatureSpec, IReadOnlyList<string>)>(specs.Count);
        var unknown = new List<string>();
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i] ?? throw new GranaryException(ErrorCodes.InvalidArgument, $"{what}[{i}]: expected {{namespace, features}}, got null.");
            if (spec.Features is not { Count: > 0 })
            {
                throw new GranaryException(ErrorCodes.InvalidArgument, $"{what}[{i}]: namespace '{spec.Namespace}' names no features.");
            }

            if (registry.Definitions.FindFeatureView(spec.Namespace) is not { } view)
            {
                unknown.Add($"namespace '{spec.Namespace}' (no such feature view{Hint(spec.Namespace, ViewNames(registry))})");
                continue;
            }

            var joinKeys = registry.Definitions.JoinKeysOf(view);
            var keys = new HashSet<string>(joinKeys, StringComparer.Ordinal);
            var names = new List<string>();
            foreach (var field in view.FeaturesExcluding(keys))
            {
                names.Add(field.Name);
            }

            foreach (var feature in spec.Features)
            {
                if (!names.Contains(feature))
                {
                    unknown.Add($"feature '{spec.Namespace}:{feature}' (feature view '{spec.Namespace}' has {string.Join(", ", names)})");
                }
            }

            resolved.Add((spec, joinKeys));
        }

        if (unknown.Count > 0)
        {
            throw new GranaryException(ErrorCodes.NotFound, $"{Capitalize(what)} names what project '{registry.Project}' does not have: {string.Join("; ", unknown)}.");
        }

        return resolved;
    }

    private static List<string> ViewNames(RegistryContents registry)
    {
        var names = new List<string>();
        foreach (var view in registry.Definitions.FeatureViews)
        {
            names.Add(view.Name);
        }

        return names;
    }

    private static string Hint(string name, List<string> candidates) => Suggestions.Closest(name, candidates) is { } close ? $"; did you mean '{close}'?" : "";

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
