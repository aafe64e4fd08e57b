namespace Granary.Contracts.Http;

/// <summary><c>POST /write-to-online-store</c>'s body as read (<see cref="WriteToOnlineStoreRequestJson"/>), values as CLR primitives.</summary>
/// <param name="FeatureViewName">The feature view to write.</param>
/// <param name="Columns">Column name → its values, one per row.</param>
internal readonly record struct WriteToOnlineStoreRequestBody(string FeatureViewName, Dictionary<string, IReadOnlyList<object?>> Columns);
