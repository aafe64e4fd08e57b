using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Registry.Catalog;
using Granary.Registry.Storage;

namespace Granary.Tests.Registry;

/// <summary>
/// Random usage and random catalogs against naive references: statistics the database adds up equal LINQ over the
/// rows, and a listing's page and total equal filtering, ordering and cutting the entries in memory. Each case writes
/// to a project of its own, so cases never see each other's rows.
/// </summary>
public abstract partial class CatalogStoreContract
{
    private static readonly string[] Features = ["ctr", "cvr"];
    private static readonly string[] Models = ["ranker", "bidder", "Ranker", "zeta"];
    private static readonly string[] Environments = ["dev", "staging", "production"];
    private static readonly string[] Names = ["a", "B", "b", "a_10", "a_2", "ad_stats:ctr", "ad_stats", "Z", "z:y", "m"];
    private static readonly string[] Owners = ["ads", "risk", ""];
    private static readonly string?[] FeatureTypes = [null, "raw", "derived"];
    private static readonly string[] TagPool = ["x", "y", "team=ads"];

    private int _cases;
    private IRegistryStore? _caseStore;

    // One store for every case of a property: a store per call would hold a connection pool per case.
    private IRegistryStore CaseStore => _caseStore ??= Open();

    internal sealed record UsageCase(FeatureUsage[][] Batches)
    {
        public override string ToString() => string.Join(" | ", Batches.Select(b => string.Join("; ", b.Select(u =>
            $"{u.FeatureName} {u.UsedByModel} {u.Environment} x{u.Count} imp={u.FeatureImportance} cor={u.CorrelationWithTarget} at={u.UsageTimestamp:HH:mm:ss}"))));
    }

    internal sealed record QueryCase(CatalogEntry[] Entries, CatalogQuery[] Queries)
    {
        public override string ToString() =>
            string.Join("; ", Entries.Select(e => $"{e.Name}/{e.Kind}/{e.Status}/{e.Metadata.Owner}/{e.Metadata.FeatureType}/[{string.Join(",", e.Metadata.Tags)}]")) +
            " || " + string.Join("; ", Queries.Select(q => $"kind={q.Kind} type={q.FeatureType} status={q.Status} owner={q.Owner} tags=[{string.Join(",", q.Tags)}] skip={q.Skip} limit={q.Limit}"));
    }

    [Property(MaxTest = 25)]
    public Property Usage_statistics_equal_a_naive_sum_over_the_rows() =>
        Prop.ForAll(UsageCaseGen().ToArbitrary(), c => CheckStatisticsAsync(c).GetAwaiter().GetResult());

    [Property(MaxTest = 25)]
    public Property Catalog_pages_and_totals_equal_a_naive_filter() =>
        Prop.ForAll(QueryCaseGen().ToArbitrary(), c => CheckQueriesAsync(c).GetAwaiter().GetResult());

    private async Task CheckStatisticsAsync(UsageCase c)
    {
        var project = $"usage_{Interlocked.Increment(ref _cases)}";
        var rows = c.Batches.SelectMany(b => b).Select(u => u with { Project = project }).ToArray();
        foreach (var batch in c.Batches)
        {
            await CaseStore.RecordUsageAsync([.. batch.Select(u => u with { Project = project })]);
        }

        foreach (var feature in Features)
        {
            var mine = rows.Where(u => u.FeatureName == feature).ToArray();
            var statistics = await CaseStore.GetUsageStatisticsAsync(project, feature);

            Assert.Equal(mine.Sum(u => u.Count), statistics.TotalUsage);
            Assert.Equal(mine.Select(u => u.UsedByModel).Distinct().Count(), statistics.UniqueModels);
            Assert.Equal(mine.Select(u => u.UsedByModel).Distinct().Order(StringComparer.Ordinal), statistics.Models);
            Assert.Equal(mine.Select(u => u.Environment).Distinct().Order(StringComparer.Ordinal), statistics.Environments);
            AssertClose(Mean(mine.Select(u => u.FeatureImportance)), statistics.AvgImportance);
            AssertClose(Mean(mine.Select(u => u.CorrelationWithTarget)), statistics.AvgCorrelation);
            Assert.Equal(mine.Length == 0 ? null : mine.Max(u => u.UsageTimestamp), statistics.LastUsedAt);
        }
    }

    private async Task CheckQueriesAsync(QueryCase c)
    {
        var project = $"query_{Interlocked.Increment(ref _cases)}";
        var entries = c.Entries.Select(e => e with { Project = project }).ToArray();

        // One apply writes them all, in one transaction.
        await CaseStore.ApplyAsync(new ApplyRequest(project, 0, [], "{}", "tester@ci", T1)
        {
            Catalog = [.. entries.Select(e => new CatalogWrite(e, new CatalogVersion(project, e.Name, SemanticVersion.Initial) { CreatedAt = T1 }))],
        });

        var store = CaseStore;
        foreach (var query in c.Queries)
        {
            var matching = entries
                .Where(e => query.Kind is null || e.Kind == query.Kind)
                .Where(e => query.FeatureType is null || e.Metadata.FeatureType == query.FeatureType)
                .Where(e => query.Status is null || e.Status == query.Status)
                .Where(e => query.Owner is null || e.Metadata.Owner == query.Owner)
                .Where(e => query.Tags.All(t => e.Metadata.Tags.Contains(t)))
                .OrderBy(e => e.Name, StringComparer.Ordinal)
                .ToArray();

            var page = await store.QueryCatalogAsync(project, query);

            Assert.Equal(matching.Length, page.Total);
            Assert.Equal(matching.Skip(query.Skip).Take(query.Limit).Select(e => e.Name), page.Entries.Select(e => e.Name));
            foreach (var entry in page.Entries)
            {
                AssertEntry(entries.Single(e => e.Name == entry.Name), entry);
            }
        }
    }

    private static double? Mean(IEnumerable<double?> values)
    {
        var present = values.Where(v => v is not null).Select(v => v!.Value).ToArray();
        return present.Length == 0 ? null : present.Average();
    }

    private static void AssertClose(double? expected, double? actual)
    {
        if (expected is null)
        {
            Assert.Null(actual);
            return;
        }

        Assert.NotNull(actual);
        Assert.True(Math.Abs(expected.Value - actual.Value) <= 1e-9 * Math.Max(1, Math.Abs(expected.Value)), $"expected {expected}, got {actual}");
    }

    private static Gen<UsageCase> UsageCaseGen()
    {
        var value = Gen.Frequency((1, Gen.Constant<double?>(null)), (3, Gen.Choose(-1000, 1000).Select(i => (double?)(i / 997.0))));
        var use =
            from feature in Gen.Elements(Features)
            from model in Gen.Elements(Models)
            from environment in Gen.Elements(Environments)
            from importance in value
            from correlation in value
            from seconds in Gen.Choose(0, 86_400)
            from count in Gen.Choose(1, 50)
            select new FeatureUsage(Project, feature, "1.0.0", model, environment, T1.AddSeconds(seconds).AddTicks(seconds % 7 * 10))
            {
                FeatureImportance = importance,
                CorrelationWithTarget = correlation,
                Count = count,
            };
        return Gen.Choose(1, 3).SelectMany(batches => Gen.ArrayOf(Gen.Choose(0, 12).SelectMany(n => Gen.ArrayOf(use, n)), batches)).Select(b => new UsageCase(b));
    }

    private static Gen<QueryCase> QueryCaseGen()
    {
        var entry =
            from kind in Gen.Elements(CatalogEntryKind.Feature, CatalogEntryKind.View)
            from status in Gen.Elements(LifecycleStatus.Draft, LifecycleStatus.Active, LifecycleStatus.Deprecated, LifecycleStatus.Archived)
            from owner in Gen.Elements(Owners)
            from featureType in Gen.Elements(FeatureTypes)
            from tags in Gen.SubListOf(TagPool)
            select (kind, status, owner, featureType, tags);
        var entries = Gen.SubListOf(Names).SelectMany(names => Gen.ArrayOf(entry, names.Count).Select(props => names.Select((name, i) => new CatalogEntry(Project, name, props[i].kind)
        {
            Status = props[i].status,
            Metadata = new CatalogMetadata { Owner = props[i].owner, FeatureType = props[i].featureType, Tags = [.. props[i].tags] },
            CreatedAt = T1,
            UpdatedAt = T1,
        }).ToArray()));
        var query =
            from kind in Gen.Elements<CatalogEntryKind?>(null, CatalogEntryKind.Feature, CatalogEntryKind.View)
            from featureType in Gen.Elements(FeatureTypes)
            from status in Gen.Elements<LifecycleStatus?>(null, null, LifecycleStatus.Active, LifecycleStatus.Deprecated)
            from owner in Gen.Elements<string?>(null, null, "ads", "")
            from tags in Gen.Frequency((2, Gen.Constant(Array.Empty<string>())), (1, Gen.SubListOf(TagPool).Select(l => l.ToArray())))
            from skip in Gen.Choose(0, 4)
            from limit in Gen.Choose(0, 6)
            select new CatalogQuery { Kind = kind, FeatureType = featureType, Status = status, Owner = owner, Tags = [.. tags], Skip = skip, Limit = limit };
        return from e in entries
               from q in Gen.ArrayOf(query, 4)
               select new QueryCase(e, q);
    }
}
