namespace Granary.Contracts.Http.Augment;

/// <summary>An augment call's body as read (<see cref="AugmentRequestJson"/>): the entities' rows (one for the online call) and the feature specs.</summary>
/// <param name="Rows">Per entity, join key → value as a CLR primitive.</param>
/// <param name="FeatureSpecs">Per namespace (feature view), the features to read.</param>
internal readonly record struct AugmentRequestBody(
    List<Dictionary<string, object?>> Rows,
    List<(string Namespace, string[] Features)> FeatureSpecs);
