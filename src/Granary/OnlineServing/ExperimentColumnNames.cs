using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Granary.OnlineServing;

/// <summary>
/// The column names of an experiment's answer: a variant's pinned read names its columns <c>view@v2__feature</c>, but
/// the request asked for <c>view__feature</c>, and a caller must not see its columns change with its unit's variant.
/// Worked out once per query's names list (every answer of one shape shares it), so the wire writers' caches of
/// encoded names keep working.
/// </summary>
internal static class ExperimentColumnNames
{
    // Per names list, per view: two experiments may share a query shape and differ in the view they pin.
    private static readonly ConditionalWeakTable<IReadOnlyList<string>, ConcurrentDictionary<string, string[]>> s_unpinned = new();

    /// <summary>The names with the variant's version qualifier removed from the columns of <paramref name="view"/>, the experiment's view.</summary>
    public static IReadOnlyList<string> Unpinned(IReadOnlyList<string> names, string view) =>
        s_unpinned.GetValue(names, static _ => new ConcurrentDictionary<string, string[]>(StringComparer.Ordinal))
            .GetOrAdd(view, static (v, n) => Compute(n, v), names);

    private static string[] Compute(IReadOnlyList<string> names, string view)
    {
        var prefix = view + "@";
        var result = new string[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            var separator = name.IndexOf("__", StringComparison.Ordinal);
            result[i] = name.StartsWith(prefix, StringComparison.Ordinal) && separator > prefix.Length
                ? view + name[separator..]
                : name;
        }

        return result;
    }
}
