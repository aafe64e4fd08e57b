using Granary.Contracts.Http;
using Granary.Core.Model;
using Granary.Quality.Validation;

namespace Granary.Server.Http;

/// <summary>What validation rules found, as the answers' JSON writers take it.</summary>
internal static class RuleCounts
{
    public static RuleCount[] Of(IReadOnlyList<RuleViolations> violations)
    {
        if (violations.Count == 0)
        {
            return [];
        }

        var counts = new RuleCount[violations.Count];
        for (var i = 0; i < counts.Length; i++)
        {
            var v = violations[i];
            counts[i] = new RuleCount(v.View, v.Feature, v.Rule, v.Severity.Key(), v.Failed, v.Total, v.DescribeExample());
        }

        return counts;
    }
}
