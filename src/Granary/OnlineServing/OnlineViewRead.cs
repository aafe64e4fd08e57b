using Granary.Core.Model;

namespace Granary.OnlineServing;

/// <summary>One view of an <see cref="OnlineQuery"/>: which of its features to decode and where its key parts come from.</summary>
internal sealed class OnlineViewRead
{
    private OnlineViewRead(OnlineViewPlan plan, int[] featureIndexes, bool[] wanted, int[] keyColumns, int sharesKeysWith)
    {
        Plan = plan;
        FeatureIndexes = featureIndexes;
        Wanted = wanted;
        KeyColumns = keyColumns;
        SharesKeysWith = sharesKeysWith;
    }

    public OnlineViewPlan Plan { get; }

    /// <summary>The requested features' positions in the view's record schema, in output order.</summary>
    public int[] FeatureIndexes { get; }

    /// <summary>Per schema position, whether it is requested: what the selective decode reads.</summary>
    public bool[] Wanted { get; }

    /// <summary>Per part of the view's entity key, the position of its join key among the request's.</summary>
    public int[] KeyColumns { get; }

    /// <summary>An earlier view of the same query whose entity keys are identical (same join keys and types), or -1.</summary>
    public int SharesKeysWith { get; }

    public static OnlineViewRead Create(OnlineViewPlan plan, int[] featureIndexes, string[] joinKeys, ReadOnlySpan<OnlineViewRead> earlier)
    {
        var wanted = new bool[plan.Schema.Count];
        foreach (var index in featureIndexes)
        {
            wanted[index] = true;
        }

        var keyColumns = new int[plan.JoinKeys.Count];
        for (var k = 0; k < keyColumns.Length; k++)
        {
            keyColumns[k] = Array.IndexOf(joinKeys, plan.JoinKeys[k]);
        }

        var shares = -1;
        for (var v = 0; v < earlier.Length && shares < 0; v++)
        {
            if (earlier[v].KeyColumns.AsSpan().SequenceEqual(keyColumns) && SameTypes(earlier[v].Plan.KeyTypes, plan.KeyTypes))
            {
                shares = earlier[v].SharesKeysWith >= 0 ? earlier[v].SharesKeysWith : v;
            }
        }

        return new OnlineViewRead(plan, featureIndexes, wanted, keyColumns, shares);
    }

    private static bool SameTypes(IReadOnlyList<FeatureType> a, IReadOnlyList<FeatureType> b)
    {
        for (var i = 0; i < a.Count; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        return a.Count == b.Count;
    }
}
