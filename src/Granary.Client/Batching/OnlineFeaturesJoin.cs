namespace Granary.Client.Batching;

/// <summary>Joins answers of consecutive batches of one request into one answer, entities in request order.</summary>
internal static class OnlineFeaturesJoin
{
    public static OnlineFeatures Join(List<OnlineFeatures> parts)
    {
        if (parts.Count == 1)
        {
            return parts[0];
        }

        var features = parts[0].FeatureNames;
        var entities = 0;
        foreach (var part in parts)
        {
            if (!SameFeatures(part.FeatureNames, features))
            {
                throw new GranaryClientException(
                    GranaryClientException.InvalidResponseCode,
                    "The batches of one read were answered with different features (the registry changed during the read); read again.",
                    httpStatus: null,
                    isTransient: false,
                    mayHaveReachedServer: true);
            }

            entities += part.EntityCount;
        }

        var columns = new FeatureColumn[features.Length];
        for (var f = 0; f < features.Length; f++)
        {
            var values = new AnsweredValue[entities];
            var statuses = new FeatureStatus[entities];
            var times = new DateTimeOffset?[entities];
            var at = 0;
            foreach (var part in parts)
            {
                var column = part.Columns[f];
                Array.Copy(column.Values, 0, values, at, part.EntityCount);
                Array.Copy(column.Statuses, 0, statuses, at, part.EntityCount);
                Array.Copy(column.EventTimestamps, 0, times, at, part.EntityCount);
                at += part.EntityCount;
            }

            columns[f] = new FeatureColumn(values, statuses, times);
        }

        return new OnlineFeatures(features, columns, entities) { ExperimentVariant = parts[0].ExperimentVariant };
    }

    public static bool SameFeatures(string[] left, string[] right)
    {
        if (ReferenceEquals(left, right))
        {
            return true;
        }

        if (left.Length != right.Length)
        {
            return false;
        }

        for (var i = 0; i < left.Length; i++)
        {
            if (!string.Equals(left[i], right[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
