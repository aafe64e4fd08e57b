namespace Granary.OnlineServing;

/// <summary>
/// What an online request asks for, apart from its entities' values: the key of <see cref="OnlineQueryCache"/>. A
/// lookup wraps the request's own lists (no copy); a shape kept in the cache owns copies of them.
/// </summary>
internal readonly struct OnlineQueryShape : IEquatable<OnlineQueryShape>
{
    private readonly IReadOnlyList<string>? _joinKeyList;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<object?>>? _entities;

    private OnlineQueryShape(IReadOnlyList<string> features, string? featureService, bool fullFeatureNames, IReadOnlyList<string>? joinKeys, IReadOnlyDictionary<string, IReadOnlyList<object?>>? entities)
    {
        Features = features;
        FeatureService = featureService;
        FullFeatureNames = fullFeatureNames;
        _joinKeyList = joinKeys;
        _entities = entities;
    }

    public IReadOnlyList<string> Features { get; }

    public string? FeatureService { get; }

    public bool FullFeatureNames { get; }

    /// <summary>The shape of <paramref name="request"/>, over its own lists.</summary>
    public static OnlineQueryShape Of(OnlineFeaturesRequest request) =>
        new(request.Features, request.FeatureService, request.FullFeatureNames, joinKeys: null, request.Entities);

    /// <summary>A copy that no longer refers to the request, to keep in the cache.</summary>
    public OnlineQueryShape Detach() => new([.. Features], FeatureService, FullFeatureNames, JoinKeyArray(), entities: null);

    /// <summary>The join keys in request order.</summary>
    public string[] JoinKeyArray()
    {
        if (_joinKeyList is string[] array)
        {
            return array;
        }

        var keys = new string[JoinKeyCount];
        var i = 0;
        foreach (var key in JoinKeys())
        {
            keys[i++] = key;
        }

        return keys;
    }

    public bool Equals(OnlineQueryShape other)
    {
        if (FullFeatureNames != other.FullFeatureNames || !string.Equals(FeatureService, other.FeatureService, StringComparison.Ordinal)
            || Features.Count != other.Features.Count || JoinKeyCount != other.JoinKeyCount)
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

        // The cached side always holds an array; compare the other side's keys against it in order.
        return _joinKeyList is string[] mine ? other.JoinKeysAre(mine) : JoinKeysAre(other.JoinKeyArray());
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

        if (_entities is Dictionary<string, IReadOnlyList<object?>> dictionary)
        {
            // The parsers' own type: its struct enumerator, no allocation per request.
            foreach (var key in dictionary.Keys)
            {
                hash.Add(key, StringComparer.Ordinal);
            }
        }
        else
        {
            foreach (var key in JoinKeys())
            {
                hash.Add(key, StringComparer.Ordinal);
            }
        }

        return hash.ToHashCode();
    }

    private int JoinKeyCount => _joinKeyList?.Count ?? _entities?.Count ?? 0;

    private IEnumerable<string> JoinKeys() => _joinKeyList ?? _entities?.Keys ?? [];

    private bool JoinKeysAre(string[] keys)
    {
        var k = 0;
        if (_entities is Dictionary<string, IReadOnlyList<object?>> dictionary)
        {
            foreach (var key in dictionary.Keys)
            {
                if (!string.Equals(keys[k++], key, StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }

        foreach (var key in JoinKeys())
        {
            if (!string.Equals(keys[k++], key, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
