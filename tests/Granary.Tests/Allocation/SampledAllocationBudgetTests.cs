namespace Granary.Tests.Allocation;

/// <summary>
/// The cost of sampling served rows for the serving log, on the lookup <see cref="AllocationBudgetTests"/> measures:
/// at 1% a request pays its per-row draw, and one in a hundred the copy of its row handed to the queue, so the
/// lookup stays within its own budget plus a small margin (docs/BENCHMARKS.md, "Allocation budgets").
/// </summary>
public sealed class SampledAllocationBudgetTests(SampledAllocationRepository repository) : IClassFixture<SampledAllocationRepository>
{
    // A sampled row of this view (its entity, values and flags, boxed) is about 1 KB; at 1% that is about 10 B per call.
    public const int SamplingMarginBytes = 64;

    [Fact]
    public void A_single_entity_lookup_sampled_at_one_percent_allocates_within_the_lookup_budget_plus_a_small_margin()
    {
        var measured = repository.LookupBytesPerCall();

        Assert.Equal(SampledAllocationRepository.Rate, repository.Store.Monitoring.ServingSampleRate);
        AllocationMeter.AssertWithin(
            measured,
            AllocationBudgetTests.LookupBudgetBytes + SamplingMarginBytes,
            "FeatureStore.GetOnlineFeaturesAsync sampled at 1%, 1 entity x 10 features, embedded store,");
    }
}
