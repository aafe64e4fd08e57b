using Granary.Core.Model;
using Granary.Offline;
using Granary.OnlineServing;

namespace Granary.Monitoring;

/// <summary>The serving log table of a view as its online plan types it: join keys with their key types, then the features.</summary>
internal static class ServingLogTables
{
    public static ServingLogTable For(string project, string repositoryRoot, OnlineViewPlan plan)
    {
        var keys = new Field[plan.JoinKeys.Count];
        for (var k = 0; k < keys.Length; k++)
        {
            keys[k] = new Field(plan.JoinKeys[k], plan.KeyTypes[k]);
        }

        return new ServingLogTable(project, plan.Name, repositoryRoot, keys, plan.Schema.Features);
    }

    /// <summary>The rows of one view, keys in the table's join key order.</summary>
    public static ServingLogRecord[] Records(ServingLogTable table, IReadOnlyList<ServedRow> rows)
    {
        var records = new ServingLogRecord[rows.Count];
        for (var i = 0; i < records.Length; i++)
        {
            var row = rows[i];
            var keys = new object?[table.JoinKeys.Count];
            for (var k = 0; k < keys.Length; k++)
            {
                keys[k] = row.Entity.GetValueOrDefault(table.JoinKeys[k].Name);
            }

            records[i] = new ServingLogRecord(keys, row.ServedAt, row.Values, row.Found);
        }

        return records;
    }
}
