namespace Granary.Online.Embedded;

/// <summary>
/// One key's aggregate state as memory holds it: the state and its version together in one immutable object, so a
/// reader that loads the reference gets a matching pair while the writer replaces it (never a state with another
/// write's version, which would let a stale state win a compare-and-set).
/// </summary>
internal sealed record StoredState(byte[] State, long Version);
