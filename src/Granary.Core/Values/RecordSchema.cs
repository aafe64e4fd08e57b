using System.Diagnostics.CodeAnalysis;
using Granary.Core.Model;
using Granary.Core.Providers;

namespace Granary.Core.Values;

/// <summary>
/// The features of one view in schema order, as the online record encodes them, with a fingerprint of names and
/// types: a record written under another schema (a view whose features changed) is never decoded as this one.
/// </summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public sealed class RecordSchema
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    public RecordSchema(IReadOnlyList<Field> features)
    {
        Features = features;
        // FNV-1a over "name:type;" for each feature: stable across processes and versions, unlike string.GetHashCode.
        var hash = 14695981039346656037UL;
        for (var i = 0; i < features.Count; i++)
        {
            _index[features[i].Name] = i;
            foreach (var c in $"{features[i].Name}:{features[i].Type};")
            {
                hash = (hash ^ c) * 1099511628211UL;
            }
        }

        Fingerprint = hash;
    }

    public IReadOnlyList<Field> Features { get; }

    public ulong Fingerprint { get; }

    public int Count => Features.Count;

    /// <summary>
    /// The record schema of <paramref name="view"/>: its schema fields that are not join keys, in schema order. The one
    /// place that says which fields a view's online records hold, for serving, materialization and planning alike.
    /// </summary>
    public static RecordSchema ForView(FeatureView view, IReadOnlyList<string> joinKeys)
    {
        var keySet = new HashSet<string>(joinKeys, StringComparer.Ordinal);
        return new RecordSchema([.. view.FeaturesExcluding(keySet)]);
    }

    /// <summary>The position of a feature, or -1.</summary>
    public int IndexOf(string feature) => _index.TryGetValue(feature, out var i) ? i : -1;
}
