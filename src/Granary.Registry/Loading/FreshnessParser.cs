using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Time;
using YamlDotNet.RepresentationModel;

namespace Granary.Registry.Loading;

/// <summary>
/// Reads a view's <c>freshness</c>: a class or duration (<c>freshness: hourly</c>, <c>freshness: 30m</c>), or a mapping
/// that also sets the thresholds (<c>freshness: {expected: hourly, fresh: 3h, stale: 1d}</c>; a threshold left out keeps
/// the expectation's own). A wrong value is reported at its line and left out.
/// </summary>
internal sealed class FreshnessParser(YamlReader yaml)
{
    private static readonly string[] Keys = ["expected", "fresh", "stale"];

    public FreshnessExpectation? Parse(YamlMappingNode map, string label)
    {
        if (YamlReader.Get(map, "freshness") is not { } node || node is YamlScalarNode { Value: null or "" })
        {
            return null;
        }

        var what = $"'freshness' of {label}";
        if (node is YamlScalarNode scalar)
        {
            return Expectation(scalar, what);
        }

        if (yaml.Mapping(node, $"{what} ({FreshnessExpectation.Grammar}, or {{expected: hourly, fresh: 3h, stale: 1d}})") is not { } settings)
        {
            return null;
        }

        yaml.CheckKeys(settings, what, Keys);
        if (YamlReader.Get(settings, "expected") is not YamlScalarNode expectedNode)
        {
            yaml.Error(settings, $"{what} needs 'expected': {FreshnessExpectation.Grammar}.");
            return null;
        }

        if (Expectation(expectedNode, what) is not { } expectation)
        {
            return null;
        }

        var fresh = Threshold(settings, "fresh", what) ?? expectation.Fresh;
        var stale = Threshold(settings, "stale", what) ?? expectation.Stale;
        if (stale < fresh)
        {
            yaml.Error(settings, $"'stale' of {what} ({Durations.Format(stale)}) is less than its 'fresh' ({Durations.Format(fresh)}); a view is stale only after it stops being fresh.");
            return null;
        }

        return expectation with { Fresh = fresh, Stale = stale };
    }

    private FreshnessExpectation? Expectation(YamlScalarNode node, string what)
    {
        if (FreshnessExpectation.TryParse(node.Value, out var expectation))
        {
            return expectation;
        }

        var suggestion = node.Value is { } text ? Suggestions.Closest(text, [.. FreshnessExpectation.ClassNames]) : null;
        var hint = suggestion is null ? "" : $" (did you mean '{suggestion}'?)";
        yaml.Error(node, $"Invalid {what}: '{node.Value}'{hint}; expected {FreshnessExpectation.Grammar}.");
        return null;
    }

    private TimeSpan? Threshold(YamlMappingNode settings, string key, string what)
    {
        if (YamlReader.Get(settings, key) is not { } node || yaml.ScalarOrNull(node, $"'{key}' of {what}") is not { } text)
        {
            return null;
        }

        if (Durations.TryParse(text, out var duration) && duration > TimeSpan.Zero)
        {
            return duration;
        }

        yaml.Error(node, $"Invalid '{key}' of {what}: '{text}'; expected a duration above 0 such as 30m, 4h or 2d.");
        return null;
    }
}
