namespace Granary.OnlineServing;

/// <summary>
/// What an online request asks for, apart from its entities' values: the key of <see cref="OnlineQueryCache"/>. A
/// lookup wraps the request's feature list (no copy); a shape kept in the cache owns a copy of it.
/// </summary>
internal readonly struct OnlineQueryShape : IEquatable<OnlineQueryShape>
{
    private OnlineQueryShape(IReadOnlyList<string> features, string? featureService, bool fullFeatureNames, string[] joinKeys)
    {
        Features = features;
        FeatureService = featureService;
        FullFeatureNames = fullFeatureNames;
        JoinKeys = joinKeys;
    }

    public IReadOnlyList<string> Features { get; }

    public string? FeatureService { get; }

    public bool FullFeatureNames { get; }

    /// <summary>The join keys given, in request order (never modified: cached queries share it).</summary>
    public string[] JoinKeys { get; }

    /// <summary>The shape of <paramref name="request"/>, over its own feature list.</summary>
    public static OnlineQueryShape Of(OnlineFeaturesRequest request)
    {
        var joinKeys = new string[request.Entities.Count];
        var i = 0;
        if (request.Entities is Dictionary<string, IReadOnlyList<object?>> dictionary)
        {
            // The parsers' own type: its struct enumerator, no enumerator allocated per request.
            foreach (var key in dictionary.Keys)
            {
                joinKeys[i++] = key;
            }
        }
        else
        {
            foreach (var key in request.Entities.Keys)
            {
                joinKeys[i++] = key;
            }
        }

        return new(request.Features, request.FeatureService, request.FullFeatureNames, joinKeys);
    }

    /// <summary>A copy that no longer refers to the request's feature list, to keep in the cache.</summary>
    public OnlineQueryShape Detach() => new([.. Features], FeatureService, FullFeatureNames, JoinKeys);

    public bool Equals(OnlineQueryShape other)
    {
        if (FullFeatureNames != other.FullFeatureNames || !string.Equals(FeatureService, other.FeatureService, StringComparison.Ordinal)
            || Features.Count != other.Features.Count || !JoinKeys.AsSpan().SequenceEqual(other.JoinKeys))
        {
            return false;
        }

        for (var i = 0; i < Features.Count; i++)
        {
            if (!string.Equals(Features[i], other.Features[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is OnlineQueryShape other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(FullFeatureNames);
        hash.Add(FeatureService, StringComparer.Ordinal);
        for (var i = 0; i < Features.Count; i++)
        {
            hash.Add(Features[i], StringComparer.Ordinal);
        }

        foreach (var key in JoinKeys)
        {
            hash.Add(key, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }
}
