using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Values;

namespace Granary.Online;

/// <summary>
/// The argument checks of the <see cref="IOnlineStore"/> contract, in one place so that every store refuses the same
/// input with the same exception before it touches anything.
/// </summary>
internal static class OnlineStoreArguments
{
    /// <summary>
    /// Checks a write batch as a whole before any of it is applied: a list, every write naming a view and carrying at
    /// least a record header.
    /// </summary>
    public static void CheckWrites(IReadOnlyList<OnlineWrite> writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        for (var i = 0; i < writes.Count; i++)
        {
            var write = writes[i];
            if (string.IsNullOrEmpty(write.View))
            {
                throw new ArgumentException($"Write {i} names no feature view.", nameof(writes));
            }

            if (write.Record is not { Length: >= OnlineRecord.HeaderSize })
            {
                throw new GranaryException(ErrorCodes.InvalidArgument, $"Write {i} for view '{write.View}' is not an online record (shorter than its {OnlineRecord.HeaderSize}-byte header).");
            }
        }
    }

    /// <summary>Checks a read: lists given, at least one slot per key, every key naming a view.</summary>
    public static void CheckRead(IReadOnlyList<OnlineKey> keys, byte[]?[] records)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(records);
        if (records.Length < keys.Count)
        {
            throw new ArgumentException($"{keys.Count} keys need at least as many record slots, not {records.Length}.", nameof(records));
        }

        for (var i = 0; i < keys.Count; i++)
        {
            if (string.IsNullOrEmpty(keys[i].View))
            {
                throw new ArgumentException($"Key {i} names no feature view.", nameof(keys));
            }
        }
    }

    /// <summary>Checks the view of a watermark call.</summary>
    public static void CheckView(string view) => ArgumentException.ThrowIfNullOrEmpty(view);

    /// <summary>Checks a state read: lists given, at least one slot per key, every key naming a view.</summary>
    public static void CheckStateRead(IReadOnlyList<OnlineKey> keys, AggregateStateEntry[] states)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(states);
        if (states.Length < keys.Count)
        {
            throw new ArgumentException($"{keys.Count} keys need at least as many state slots, not {states.Length}.", nameof(states));
        }

        for (var i = 0; i < keys.Count; i++)
        {
            if (string.IsNullOrEmpty(keys[i].View))
            {
                throw new ArgumentException($"Key {i} names no feature view.", nameof(keys));
            }
        }
    }

    /// <summary>
    /// Checks a compare-and-set batch as a whole: every write naming a view, carrying a state and a version no lower
    /// than 0, no key twice, and a result slot per write.
    /// </summary>
    public static void CheckStateWrites(IReadOnlyList<AggregateStateWrite> writes, bool[] applied)
    {
        ArgumentNullException.ThrowIfNull(writes);
        ArgumentNullException.ThrowIfNull(applied);
        if (applied.Length < writes.Count)
        {
            throw new ArgumentException($"{writes.Count} writes need at least as many result slots, not {applied.Length}.", nameof(applied));
        }

        HashSet<(string, EntityKey)>? seen = writes.Count > 1 ? new(writes.Count) : null;
        for (var i = 0; i < writes.Count; i++)
        {
            var write = writes[i];
            if (string.IsNullOrEmpty(write.View))
            {
                throw new ArgumentException($"Write {i} names no feature view.", nameof(writes));
            }

            if (write.State is null)
            {
                throw new ArgumentException($"Write {i} for view '{write.View}' carries no state.", nameof(writes));
            }

            if (write.ExpectedVersion < 0)
            {
                throw new ArgumentException($"Write {i} for view '{write.View}' expects version {write.ExpectedVersion}; versions start at 0.", nameof(writes));
            }

            if (seen is not null && !seen.Add((write.View, write.Entity)))
            {
                throw new ArgumentException($"Write {i} for view '{write.View}' repeats a key of the batch; a key is set once per batch.", nameof(writes));
            }
        }
    }

    /// <summary>Checks the source of a stream watermark call.</summary>
    public static void CheckSource(string source) => ArgumentException.ThrowIfNullOrEmpty(source);
}
