namespace Granary.Consistency;

/// <summary>
/// Counts, feature by feature, how served rows agree with their offline re-join, keeping the first disagreeing rows as
/// examples, and builds the <see cref="ConsistencyReport"/>.
/// </summary>
internal sealed class ConsistencyTally
{
    public const int ExamplesPerFeature = 5;

    private readonly string[] _features;
    private readonly long[,] _counts;
    private readonly List<ConsistencyExample>[] _examples;
    private long _rows;

    public ConsistencyTally(IReadOnlyList<string> features)
    {
        _features = [.. features];
        _counts = new long[_features.Length, Enum.GetValues<ConsistencyOutcome>().Length];
        _examples = new List<ConsistencyExample>[_features.Length];
        for (var i = 0; i < _examples.Length; i++)
        {
            _examples[i] = [];
        }
    }

    /// <summary>Counts one served row; <paramref name="served"/>, <paramref name="found"/> and <paramref name="offline"/>
    /// hold one entry per feature, in the order the tally was made with.</summary>
    public void Add(
        IReadOnlyDictionary<string, object?> entity,
        DateTimeOffset servedAt,
        IReadOnlyList<object?> served,
        IReadOnlyList<bool> found,
        IReadOnlyList<object?> offline)
    {
        if (served.Count != _features.Length || found.Count != _features.Length || offline.Count != _features.Length)
        {
            throw new ArgumentException($"A served row must carry {_features.Length} features.", nameof(served));
        }

        _rows++;
        for (var i = 0; i < _features.Length; i++)
        {
            var outcome = ValueAgreement.Compare(found[i], served[i], offline[i]);
            _counts[i, (int)outcome]++;
            if (outcome is ConsistencyOutcome.Mismatch or ConsistencyOutcome.Missing or ConsistencyOutcome.Extra
                && _examples[i].Count < ExamplesPerFeature)
            {
                _examples[i].Add(new ConsistencyExample(entity, servedAt, found[i] ? served[i] : null, offline[i]));
            }
        }
    }

    public ConsistencyReport Build(string view, DateTimeOffset start, DateTimeOffset end)
    {
        var features = new FeatureConsistency[_features.Length];
        var sum = 0.0;
        var scored = 0;
        for (var i = 0; i < _features.Length; i++)
        {
            var (matches, mismatches, missing, extra) = (
                _counts[i, (int)ConsistencyOutcome.Match],
                _counts[i, (int)ConsistencyOutcome.Mismatch],
                _counts[i, (int)ConsistencyOutcome.Missing],
                _counts[i, (int)ConsistencyOutcome.Extra]);
            var feature = new FeatureConsistency(
                _features[i], matches + mismatches + missing + extra, matches, mismatches, missing, extra, _examples[i]);
            features[i] = feature;
            if (feature.Consistency is { } consistency)
            {
                sum += consistency;
                scored++;
            }
        }

        return new ConsistencyReport(view, start, end, _rows, scored == 0 ? null : sum / scored, features);
    }
}
