using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Resolution;

namespace Granary.OnlineServing;

/// <summary>
/// The part of an online request that depends only on what it asks for, not on which entities: the views and
/// feature positions to read, the output names and where each join key's column comes from. Worked out once per
/// shape of request and registry version (<see cref="OnlineQueryCache"/>), so a server answering the same kind of
/// request all day resolves feature references once. Every mistake is reported with the field it is in.
/// </summary>
internal sealed class OnlineQuery
{
    private OnlineQuery(string[] joinKeys, OnlineViewRead[] views, string[] names, (int View, int Part)[] keySources, int[] outputColumns, int keyColumnCount, string[]? deprecated)
    {
        Deprecated = deprecated;
        JoinKeys = joinKeys;
        OutputColumns = outputColumns;
        KeyColumnCount = keyColumnCount;
        Views = views;
        Names = Array.AsReadOnly(names);
        KeySources = keySources;
        foreach (var view in views)
        {
            MaxSchemaCount = Math.Max(MaxSchemaCount, view.Plan.Schema.Count);
        }
    }

    /// <summary>The deprecated features the query reads (as referenced), or null when it reads none: the common case costs nothing.</summary>
    public string[]? Deprecated { get; }

    /// <summary>The entity columns given, in request order.</summary>
    public string[] JoinKeys { get; }

    /// <summary>
    /// Per entity column, its column in the answer, or -1 for a column that is no entity's join key: such a column is
    /// dropped from the answer, as Feast drops it (its list still counts for the equal-length check).
    /// </summary>
    public int[] OutputColumns { get; }

    /// <summary>How many entity columns the answer echoes: its first columns, before the features.</summary>
    public int KeyColumnCount { get; }

    /// <summary>The views to read, in first-mention order.</summary>
    public OnlineViewRead[] Views { get; }

    /// <summary>Output names: echoed join keys, then features (shared by every response to this query, hence read-only).</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The most features any of the views has: the size of one decode buffer for all of them.</summary>
    public int MaxSchemaCount { get; }

    /// <summary>
    /// Per join key, the view and key part whose converted value its column echoes; (-1, -1) for a join key no
    /// requested view uses, which is echoed as text.
    /// </summary>
    public (int View, int Part)[] KeySources { get; }

    public static OnlineQuery Resolve(OnlineQueryShape shape, OnlinePlans plans)
    {
        // A feature service, when given, decides the features, as in Feast: features given beside it are ignored.
        var resolution = plans.Resolution;
        var references = resolution.References(shape.Features, shape.FeatureService, serviceOverridesFeatures: true);
        var joinKeys = shape.JoinKeys;
        if (joinKeys.Length == 0)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, "entities: give at least one join key with its values, e.g. {\"user_id\": [1, 2]}.");
        }

        var views = new List<(OnlineViewPlan Plan, List<(int Index, string Output)> Features)>();
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        List<string>? deprecated = null;
        foreach (var reference in references)
        {
            var plan = resolution.View(reference);
            var index = RegistryResolution.FeatureIndex(plan, reference.Feature);
            if (resolution.CheckLifecycle(reference))
            {
                (deprecated ??= []).Add(reference.ToString());
            }

            var view = views.FindIndex(v => ReferenceEquals(v.Plan, plan));
            if (view < 0)
            {
                foreach (var key in plan.JoinKeys)
                {
                    if (Array.IndexOf(joinKeys, key) < 0)
                    {
                        throw new GranaryException(ErrorCodes.InvalidArgument, $"entities: missing join key '{key}', needed by feature view '{plan.Name}'.");
                    }
                }

                view = views.Count;
                views.Add((plan, []));
            }

            // Feast's naming: a version-qualified reference's full name keeps its qualifier (view@v2__feature).
            var output = shape.FullFeatureNames ? $"{reference.QualifiedView}__{reference.Feature}" : reference.Feature;
            views[view].Features.Add((index, output));
            if (!owners.TryAdd(output, plan.Name) || (Array.IndexOf(joinKeys, output) is var j && j >= 0 && IsJoinKey(joinKeys[j], plans)))
            {
                throw new GranaryException(ErrorCodes.InvalidArgument, $"Feature '{output}' would appear twice in the response; set full_feature_names to tell the views apart.");
            }
        }

        // The entity columns that are some entity's join key come first, in request order; others are dropped.
        var names = new List<string>(joinKeys.Length);
        var outputs = new int[joinKeys.Length];
        for (var j = 0; j < joinKeys.Length; j++)
        {
            outputs[j] = IsJoinKey(joinKeys[j], plans) ? names.Count : -1;
            if (outputs[j] >= 0)
            {
                names.Add(joinKeys[j]);
            }
        }

        var keyColumnCount = names.Count;

        // Output order follows views in first-mention order, features in request order within each view.
        var reads = new OnlineViewRead[views.Count];
        for (var v = 0; v < views.Count; v++)
        {
            var (plan, features) = views[v];
            var indexes = new int[features.Count];
            for (var f = 0; f < features.Count; f++)
            {
                indexes[f] = features[f].Index;
                names.Add(features[f].Output);
            }

            reads[v] = OnlineViewRead.Create(plan, indexes, joinKeys, reads.AsSpan(0, v));
        }

        var sources = new (int, int)[joinKeys.Length];
        for (var j = 0; j < joinKeys.Length; j++)
        {
            sources[j] = (-1, -1);
            for (var v = 0; v < reads.Length && sources[j].Item1 < 0; v++)
            {
                var part = Array.IndexOf(reads[v].KeyColumns, j);
                if (part >= 0)
                {
                    sources[j] = (v, part);
                }
            }
        }

        return new OnlineQuery(joinKeys, reads, [.. names], sources, outputs, keyColumnCount, deprecated?.ToArray());
    }

    // Feast keeps an entity column in the answer when it is the join key of any entity of the project.
    private static bool IsJoinKey(string column, OnlinePlans plans)
    {
        foreach (var entity in plans.Registry.Definitions.Entities)
        {
            foreach (var key in entity.JoinKeys)
            {
                if (string.Equals(key, column, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
