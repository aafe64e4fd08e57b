using Granary.Core.Values;

namespace Granary.Online;

/// <summary>One entity of one feature view: the unit a store keeps a record for.</summary>
public readonly record struct OnlineKey(string View, EntityKey Entity);
