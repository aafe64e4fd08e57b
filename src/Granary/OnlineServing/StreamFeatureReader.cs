using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Values;
using Granary.Online;
using Granary.Streaming.Aggregation;
using Granary.Streaming.Ingest;

namespace Granary.OnlineServing;

/// <summary>
/// The read side of stream feature views: a key's features are computed from its aggregate state at the reading
/// instant (<see cref="KeyAggregates.ValuesAt"/>), so a window's old edge moves with the clock though no event
/// arrives. A key never seen is NOT_FOUND; a key seen answers PRESENT, with <c>count</c> 0 and null for the other
/// functions over a window without events; OUTSIDE_MAX_AGE when the view has a ttl and its newest event is older.
/// The served event time is the newest event counted.
/// </summary>
internal static class StreamFeatureReader
{
    /// <summary>The store's state capability, or the error of a store that has none.</summary>
    public static IAggregateStateStore States(IOnlineStore store, string view) =>
        store.GetCapability<IAggregateStateStore>() ?? throw new GranaryException(
            ErrorCodes.InvalidConfig,
            $"The {store.Name} online store cannot keep the aggregate state of stream feature view '{view}'; configure an online_store that can (embedded, redis).");

    /// <summary>The aggregates of a stored state, or null for a key never seen.</summary>
    public static KeyAggregates? Aggregates(OnlineViewPlan plan, in AggregateStateEntry entry)
    {
        if (entry.State is not { } state)
        {
            return null;
        }

        try
        {
            return StreamKeyState.ReadAggregates(state, plan.Stream!.Target.Plan);
        }
        catch (FormatException e)
        {
            throw new GranaryException(
                ErrorCodes.OnlineStoreUnavailable,
                $"The stored aggregate state of an entity of stream view '{plan.Name}' cannot be read ({e.Message}); tear the view's state down and backfill it.",
                e);
        }
    }

    /// <summary>
    /// Every feature of <paramref name="aggregates"/> at <paramref name="now"/> into <paramref name="values"/>;
    /// returns the status and event time to serve them with.
    /// </summary>
    public static (FeatureStatus Status, long EventMicros) ValuesAt(OnlineViewPlan plan, KeyAggregates aggregates, long now, Span<FeatureValue> values)
    {
        var newest = aggregates.NewestEventMicros;
        if (plan.TtlMicros > 0 && now - newest > plan.TtlMicros)
        {
            return (FeatureStatus.OutsideMaxAge, newest);
        }

        aggregates.ValuesAt(now, values);
        return (FeatureStatus.Present, newest);
    }
}
