using FsCheck;
using FsCheck.Fluent;
using Granary.Core.Model;

namespace Granary.Tests.Offline.Retrieval;

/// <summary>
/// The random point-in-time scenarios every engine is checked on (<see cref="Contracts.PointInTimeReaderContract{TEngine}"/>),
/// built to hit the edges: event times on an hourly grid (ties), created times that tie and are broken by microseconds,
/// rows exactly at T and T - ttl, null values, missing entities and duplicate entity rows.
/// </summary>
internal static class PitCases
{
    internal sealed record Case(IReadOnlyList<PitEntityRow> Entities, IReadOnlyList<PitView> Views, bool FullNames, bool FilterByCreated)
    {
        public override string ToString() =>
            $"full={FullNames} filter={FilterByCreated} entities=[{string.Join("; ", Entities)}] views=[{string.Join(" | ",
                Views.Select(v => $"{v.Name} ttl={v.Ttl} composite={v.Composite} created={v.HasCreated} {v.Format}: {string.Join("; ", v.Rows)}"))}]";
    }

    /// <summary>The random scenarios every engine is checked on.</summary>
    internal static Gen<Case> Generator() =>
        from viewCount in Gen.Choose(1, 3)
        from views in Gen.CollectToArray(Enumerable.Range(0, viewCount), ViewGen)
        from entityCount in Gen.Choose(1, 12)
        from entities in Gen.ArrayOf(EntityGen(), entityCount)
        from duplicates in Gen.SubListOf(entities)
        from fullNames in Gen.Elements(true, false)
        from filter in Gen.Elements(true, false, false)
        select new Case(
            [.. entities.Concat(duplicates)],
            views,
            fullNames,
            filter);

    private static Gen<PitEntityRow> EntityGen() =>
        from key in Gen.Choose(0, 4) // 4 never appears in a source: a missing entity
        from key2 in Gen.Choose(0, 1)
        from hour in Gen.Choose(0, 12)
        from label in Gen.Choose(0, 3)
        select new PitEntityRow(key, key2, PitScenario.Origin.AddHours(hour), label);

    private static Gen<PitView> ViewGen(int index) =>
        from ttlHours in Gen.Elements(0, 0, 1, 3, 6)
        from composite in Gen.Elements(false, index == 1)
        from hasCreated in Gen.Elements(true, true, false)
        from format in Gen.Elements(FileFormat.Parquet, FileFormat.Csv)
        from rowCount in Gen.Choose(0, 14)
        from rows in Gen.ArrayOf(SourceRowGen(), rowCount)
        select new PitView(index, TimeSpan.FromHours(ttlHours), composite, hasCreated, format, Finish(rows, hasCreated, composite));

    private static Gen<(long Key, long Key2, int Hour, int CreatedLag, long? Value)> SourceRowGen() =>
        from key in Gen.Choose(0, 3)
        from key2 in Gen.Choose(0, 1)
        from hour in Gen.Choose(0, 10)
        from lag in Gen.Choose(0, 3)
        from value in Gen.Choose(-1, 50)
        select ((long)key, (long)key2, hour, lag, value < 0 ? (long?)null : value);

    // Created times may tie on the grid; the row's position added in microseconds keeps them apart, so the expected
    // winner is unique. Without a created column, rows that tie on (keys, event time) have no defined winner: keep one.
    private static PitSourceRow[] Finish((long Key, long Key2, int Hour, int CreatedLag, long? Value)[] rows, bool hasCreated, bool composite)
    {
        var finished = rows.Select((r, i) => new PitSourceRow(
            r.Key,
            r.Key2,
            PitScenario.Origin.AddHours(r.Hour),
            hasCreated ? PitScenario.Origin.AddHours(r.Hour + r.CreatedLag).AddMicroseconds(i) : null,
            r.Value));
        return hasCreated ? [.. finished] : [.. finished.DistinctBy(r => (r.Key, composite ? r.Key2 : 0, r.Event))];
    }
}
