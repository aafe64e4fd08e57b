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
}
