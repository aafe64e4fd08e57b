using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.OnlineServing;
using Granary.Resolution;

namespace Granary.OnDemand;

/// <summary>
/// An online request that reads on-demand features, resolved once per shape: the stored features to read (what was
/// asked for directly, and every source feature the on-demand views need, read with full names so they cannot
/// collide), and where each output column comes from.
/// </summary>
internal sealed class OnDemandQuery
{
    public static readonly OnDemandQuery None = new([], [], [], []);

    private string[]? _names;

    private OnDemandQuery(string[] storedFeatures, string[] featureNames, int[] passThrough, OnDemandViewRead[] views)
    {
        StoredFeatures = storedFeatures;
        FeatureNames = featureNames;
        PassThrough = passThrough;
        Views = views;
    }

    /// <summary>The stored features to read, as references (read with full feature names).</summary>
    public string[] StoredFeatures { get; }

    /// <summary>The output's feature columns (after the echoed join keys), in request order.</summary>
    public string[] FeatureNames { get; }

    /// <summary>Per output feature column, the stored feature it copies, or -1 for an on-demand feature.</summary>
    public int[] PassThrough { get; }

    public OnDemandViewRead[] Views { get; }

    /// <summary>The answer's names: the stored read's echoed join keys, then <see cref="FeatureNames"/>; built once.</summary>
    public string[] Names(IReadOnlyList<string> stored, int keyColumns)
    {
        if (Volatile.Read(ref _names) is { } names)
        {
            return names;
        }

        names = new string[keyColumns + FeatureNames.Length];
        for (var k = 0; k < keyColumns; k++)
        {
            names[k] = stored[k];
        }

        FeatureNames.CopyTo(names, keyColumns);
        Volatile.Write(ref _names, names);
        return names;
    }

    /// <summary>The query, or null when the shape reads no on-demand feature.</summary>
    public static OnDemandQuery? Resolve(OnlineQueryShape shape, RegistryResolution resolution, OnDemandPlans plans)
    {
        var references = resolution.References(shape.Features, shape.FeatureService, serviceOverridesFeatures: true);
        var any = false;
        foreach (var reference in references)
        {
            any |= plans.IsOnDemand(reference.View);
        }

        if (!any)
        {
            return null;
        }

        var stored = new List<string>();
        var storedIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        int Stored(string reference)
        {
            if (!storedIndex.TryGetValue(reference, out var index))
            {
                index = stored.Count;
                storedIndex[reference] = index;
                stored.Add(reference);
            }

            return index;
        }

        var names = new List<string>(references.Count);
        var passThrough = new List<int>(references.Count);
        var views = new List<(OnDemandViewPlan Plan, int[] Inputs, List<(int Column, int Feature)> Outputs)>();
        foreach (var reference in references)
        {
            string name;
            if (plans.IsOnDemand(reference.View))
            {
                if (reference.Version is not null)
                {
                    throw new GranaryException(ErrorCodes.InvalidArgument, $"'{reference}': on-demand feature view '{reference.View}' has no versions; name it without '@'.");
                }

                var plan = plans.View(reference.View);
                var feature = plan.FeatureIndex(reference.Feature);
                if (feature < 0)
                {
                    var known = new List<string>();
                    foreach (var f in plan.Features)
                    {
                        known.Add(f.Name);
                    }

                    throw resolution.NotFound($"feature of on-demand feature view '{plan.Name}'", reference.Feature, known);
                }

                if (plan.Errors[feature] is { } error)
                {
                    throw new GranaryException(ErrorCodes.Unprocessable, error);
                }

                var v = views.FindIndex(x => ReferenceEquals(x.Plan, plan));
                if (v < 0)
                {
                    v = views.Count;
                    views.Add((plan, Enumerable.Repeat(OnDemandViewRead.Unused, plan.Inputs.Length).ToArray(), []));
                }

                // Only what the requested features read: a request need not bring fields other features use.
                var inputs = views[v].Inputs;
                foreach (var i in plan.Features[feature].Inputs)
                {
                    if (inputs[i] == OnDemandViewRead.Unused)
                    {
                        inputs[i] = plan.Inputs[i].Source is { } source ? Stored(source.ToString()) : OnDemandViewRead.Request;
                    }
                }

                views[v].Outputs.Add((names.Count, feature));
                passThrough.Add(-1);
                name = shape.FullFeatureNames ? $"{plan.Name}__{reference.Feature}" : reference.Feature;
            }
            else
            {
                passThrough.Add(Stored(reference.ToString()));
                name = shape.FullFeatureNames ? $"{reference.QualifiedView}__{reference.Feature}" : reference.Feature;
            }

            if (names.Contains(name))
            {
                throw new GranaryException(ErrorCodes.InvalidArgument, $"Feature '{name}' would appear twice in the response; set full_feature_names to tell the views apart.");
            }

            names.Add(name);
        }

        var reads = new OnDemandViewRead[views.Count];
        for (var v = 0; v < reads.Length; v++)
        {
            reads[v] = new OnDemandViewRead(views[v].Plan, views[v].Inputs, [.. views[v].Outputs]);
        }

        return new OnDemandQuery([.. stored], [.. names], [.. passThrough], reads);
    }
}
