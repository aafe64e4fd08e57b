using Granary.Core.Values;

namespace Granary.OnlineServing;

/// <summary>One value read by its <c>{namespace}:{feature}:{entity_key}</c> address.</summary>
public readonly record struct OnlineValue(FeatureValue Value, FeatureStatus Status, DateTimeOffset? EventTimestamp);
