using Granary.Monitoring;

namespace Granary.OnlineServing;

/// <summary>
/// Picks the served entity rows of a response for the serving log: one draw per row, and for a chosen row one
/// <see cref="ServedRow"/> per view with the features the request asked for (the rest have no found flag).
/// </summary>
internal static class ServedRowSampler
{
    public static void Offer(ServingSampler<ServedRow> sampler, OnlineQuery query, IReadOnlyList<object?>[] entityLists, OnlineFeaturesResponse response, DateTimeOffset servedAt)
    {
        for (var r = 0; r < response.RowCount; r++)
        {
            if (!sampler.ShouldSample())
            {
                continue;
            }

            var column = query.KeyColumnCount;
            for (var v = 0; v < query.Views.Length; v++)
            {
                var read = query.Views[v];
                var plan = read.Plan;

                // A pinned older version (view@v2) has a schema of its own; the log keeps the current version's rows.
                if (plan.Version is null)
                {
                    sampler.Offer(Row(read, entityLists, response, column, r, servedAt));
                }

                column += read.FeatureIndexes.Length;
            }
        }
    }

    private static ServedRow Row(OnlineViewRead read, IReadOnlyList<object?>[] entityLists, OnlineFeaturesResponse response, int firstColumn, int row, DateTimeOffset servedAt)
    {
        var plan = read.Plan;
        var entity = new Dictionary<string, object?>(plan.JoinKeys.Count, StringComparer.Ordinal);
        for (var k = 0; k < plan.JoinKeys.Count; k++)
        {
            entity[plan.JoinKeys[k]] = entityLists[read.KeyColumns[k]][row];
        }

        var values = new object?[plan.Schema.Count];
        var found = new bool?[plan.Schema.Count];
        for (var f = 0; f < read.FeatureIndexes.Length; f++)
        {
            var index = read.FeatureIndexes[f];
            var status = response.Statuses(firstColumn + f)[row];
            var value = response.Values(firstColumn + f)[row];
            found[index] = status is FeatureStatus.Present or FeatureStatus.NullValue;
            values[index] = value.ToObject();
        }

        return new ServedRow(plan.Name, entity, servedAt, values, found) { Plan = plan };
    }
}
