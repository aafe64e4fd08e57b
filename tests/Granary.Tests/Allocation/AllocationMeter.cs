namespace Granary.Tests.Allocation;

/// <summary>
/// Bytes a call allocates on the current thread (<see cref="GC.GetAllocatedBytesForCurrentThread"/>), which counts
/// only this thread's allocations: tests running in parallel on other threads do not disturb it, and neither does a
/// loaded machine. What can move it is the JIT: tier-0 code, and first calls that fill caches, allocate more than the
/// steady state, and on a busy machine the background tier-1 compilation comes late. So the calls are warmed up in
/// several batches with pauses between them (tiering waits for a quiet 100 ms before it promotes), and the figure is
/// the lowest of many measured rounds: a regression raises every round, a late promotion or a periodic refresh only
/// some.
/// </summary>
internal static class AllocationMeter
{
    private const int WarmupBatches = 4;
    private const int CallsPerWarmupBatch = 5_000;
    private const int Rounds = 12;
    private const int CallsPerRound = 2_000;

    /// <summary>How many times <see cref="BytesPerCall"/> calls its argument, warm-up included.</summary>
    public const int TotalCalls = (WarmupBatches * CallsPerWarmupBatch) + (Rounds * CallsPerRound);

    /// <summary>The lowest bytes per call over the measured rounds of <paramref name="call"/> (given the call's index).</summary>
    public static double BytesPerCall(Action<int> call)
    {
        var i = 0;
        for (var batch = 0; batch < WarmupBatches; batch++)
        {
            for (var n = 0; n < CallsPerWarmupBatch; n++)
            {
                call(i++);
            }

            Thread.Sleep(150);
        }

        var lowest = double.MaxValue;
        for (var round = 0; round < Rounds; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var n = 0; n < CallsPerRound; n++)
            {
                call(i++);
            }

            var after = GC.GetAllocatedBytesForCurrentThread();
            lowest = Math.Min(lowest, (after - before) / (double)CallsPerRound);
        }

        return lowest;
    }

    /// <summary>
    /// The result of a task that must already be complete: the work then ran on this thread, where
    /// <see cref="GC.GetAllocatedBytesForCurrentThread"/> sees all of it. An embedded lookup has no I/O to wait for,
    /// so a task still running means the measurement would miss its continuation, and the test says so.
    /// </summary>
    public static T Completed<T>(Task<T> task) =>
        task.IsCompletedSuccessfully
            ? task.Result
            : throw new InvalidOperationException($"The call did not complete synchronously (status {task.Status}): its allocations on other threads would not be counted.");

    /// <summary>Fails with the measured bytes beside the budget when over it.</summary>
    public static void AssertWithin(double measured, int budget, string what) =>
        Assert.True(
            measured <= budget,
            $"{what} allocates {measured:F0} B per call, over its budget of {budget} B (docs/BENCHMARKS.md, \"Allocation budgets\"). "
            + "If the extra allocation is intended, measure again and raise the budget there and in the test.");
}
