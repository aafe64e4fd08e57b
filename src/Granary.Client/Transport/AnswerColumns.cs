namespace Granary.Client;

/// <summary>
/// Names and orders an answer's feature columns as <see cref="OnlineFeatures"/> holds them, the same for both
/// transports: the request asks for full feature names (<c>view__feature</c>), which tell features from the join keys
/// echoed before them; a feature list's columns go back into request order (the server orders them by view), a
/// feature service's are named <c>view:feature</c> by their first <c>__</c>.
/// </summary>
internal static class AnswerColumns
{
    /// <param name="request">The request (one batch) the answer is to.</param>
    /// <param name="names">The answer's column names, one per result.</param>
    /// <param name="results">The answer's columns, in the answer's order.</param>
    /// <param name="toColumn">Converts a result, given the entity count and its name, into a column; called only for the columns kept.</param>
    /// <param name="invalid">The transport's exception for an answer it cannot read.</param>
    public static OnlineFeatures Arrange<TResult>(
        OnlineFeaturesRequest request,
        IReadOnlyList<string> names,
        IReadOnlyList<TResult> results,
        Func<TResult, int, string, FeatureColumn> toColumn,
        Func<string, GranaryClientException> invalid)
    {
        var entities = request.EntityCount;
        if (request.FeatureService is null)
        {
            var features = request.FeatureList;
            var columns = new FeatureColumn[features.Length];
            for (var c = 0; c < names.Count; c++)
            {
                for (var f = 0; f < features.Length; f++)
                {
                    if (columns[f] is null && IsFullName(names[c], features[f]))
                    {
                        columns[f] = toColumn(results[c], entities, names[c]);
                        break;
                    }
                }
            }

            for (var f = 0; f < features.Length; f++)
            {
                if (columns[f] is null)
                {
                    throw invalid($"the answer has no column for feature '{features[f]}'");
                }
            }

            return new OnlineFeatures(features, columns, entities);
        }

        var keys = request.EntityColumns;
        var served = new List<string>(names.Count);
        var serviceColumns = new List<FeatureColumn>(names.Count);
        for (var c = 0; c < names.Count; c++)
        {
            if (IsJoinKey(names[c], keys))
            {
                continue;
            }

            var split = names[c].IndexOf("__", StringComparison.Ordinal);
            served.Add(split > 0 ? string.Concat(names[c].Substring(0, split), ":", names[c].Substring(split + 2)) : names[c]);
            serviceColumns.Add(toColumn(results[c], entities, names[c]));
        }

        return new OnlineFeatures([.. served], [.. serviceColumns], entities);
    }

    // view__feature against view:feature, compared in place rather than by building the full name.
    private static bool IsFullName(string name, string reference)
    {
        var colon = reference.IndexOf(':');
        return name.Length == reference.Length + 1
            && string.CompareOrdinal(name, 0, reference, 0, colon) == 0
            && name[colon] == '_'
            && name[colon + 1] == '_'
            && string.CompareOrdinal(name, colon + 2, reference, colon + 1, reference.Length - colon - 1) == 0;
    }

    private static bool IsJoinKey(string name, IReadOnlyList<ValueColumn> keys)
    {
        foreach (var key in keys)
        {
            if (string.Equals(key.Name, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
