using Granary.Core.Model;

namespace Granary.Core.Sources;

/// <summary>
/// Resolves a derived feature view to the <see cref="QuerySource"/> its rows come from, following derived inputs
/// down to the sources they read, and orders views so that each comes after what it reads.
/// </summary>
internal static class DerivedSources
{
    /// <summary>The query source of <paramref name="view"/>, or null with <paramref name="problem"/> naming an unknown reference or a cycle.</summary>
    public static QuerySource? Of(DefinitionSet definitions, FeatureView view, out string? problem) =>
        Of(definitions, view, [], out problem);

    /// <summary>
    /// The cycle among derived views that starts and ends at <paramref name="view"/>'s first repeated name, written
    /// <c>a -> b -> a</c>; null when its references reach no cycle.
    /// </summary>
    public static string? CycleFrom(DefinitionSet definitions, FeatureView view)
    {
        var path = new List<string>();
        return Walk(view.Name);

        string? Walk(string name)
        {
            var at = path.IndexOf(name);
            if (at >= 0)
            {
                return string.Join(" -> ", path.Skip(at).Append(name));
            }

            if (definitions.FindFeatureView(name) is not { Derived: { } derived })
            {
                return null;
            }

            path.Add(name);
            foreach (var reference in derived.References())
            {
                if (Walk(reference) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            return null;
        }
    }

    /// <summary>
    /// The views in an order where every derived view follows the views its query reads (a stable order otherwise:
    /// views keep their relative order where nothing forces a change). A view on a cycle keeps its place.
    /// </summary>
    public static IReadOnlyList<FeatureView> InDependencyOrder(IReadOnlyList<FeatureView> views)
    {
        ArgumentNullException.ThrowIfNull(views);
        var byName = new Dictionary<string, FeatureView>(StringComparer.Ordinal);
        foreach (var v in views)
        {
            byName.TryAdd(v.Name, v);
        }

        var ordered = new List<FeatureView>(views.Count);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var visiting = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in views)
        {
            Visit(v);
        }

        return ordered;

        void Visit(FeatureView view)
        {
            if (done.Contains(view.Name) || !visiting.Add(view.Name))
            {
                return;
            }

            foreach (var reference in view.Derived?.References() ?? [])
            {
                if (byName.TryGetValue(reference, out var input))
                {
                    Visit(input);
                }
            }

            visiting.Remove(view.Name);
            if (done.Add(view.Name))
            {
                ordered.Add(view);
            }
        }
    }

    private static QuerySource? Of(DefinitionSet definitions, FeatureView view, HashSet<string> visiting, out string? problem)
    {
        var derived = view.Derived!;
        if (!visiting.Add(view.Name))
        {
            problem = $"Derived feature view '{view.Name}' reads itself through its references: {CycleFrom(definitions, view) ?? view.Name}.";
            return null;
        }

        var inputs = new Dictionary<string, QueryInput>(StringComparer.Ordinal);
        foreach (var name in derived.References())
        {
            if (definitions.FindFeatureView(name) is { } input)
            {
                var source = input.Derived is not null
                    ? Of(definitions, input, visiting, out problem)
                    : BatchSources.OfView(definitions, input, out problem);
                if (source is null)
                {
                    return null;
                }

                inputs[name] = new QueryInput(source, input, JoinKeysOf(definitions, input));
            }
            else if (definitions.FindSource(name) is not null)
            {
                if (BatchSources.Resolve(definitions, name, out problem) is not { } source)
                {
                    return null;
                }

                inputs[name] = new QueryInput(source, null, []);
            }
            else
            {
                problem = $"Derived feature view '{view.Name}' reads '{{{{ {name} }}}}', which is neither a source nor a feature view in the registry.";
                return null;
            }
        }

        visiting.Remove(view.Name);
        problem = null;
        return new QuerySource
        {
            Name = view.Name,
            Query = derived,
            Inputs = inputs,
            TimestampField = DerivedQuery.EventTimestampColumn,
        };
    }

    private static List<string> JoinKeysOf(DefinitionSet definitions, FeatureView view)
    {
        var keys = new List<string>();
        foreach (var name in view.Entities)
        {
            if (definitions.FindEntity(name) is { } entity)
            {
                keys.AddRange(entity.JoinKeys);
            }
        }

        return keys;
    }
}
