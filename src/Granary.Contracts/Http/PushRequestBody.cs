namespace Granary.Contracts.Http;

/// <summary><c>POST /push</c>'s body as read (<see cref="PushRequestJson"/>), values as CLR primitives.</summary>
/// <param name="PushSourceName">The push source to push to.</param>
/// <param name="Columns">Column name → its values, one per row.</param>
/// <param name="To">Where the rows go; online when the body does not say.</param>
/// <param name="AllowPartial">Drop the rows failing an error validation rule instead of refusing the push; false when the body does not say.</param>
internal readonly record struct PushRequestBody(string PushSourceName, Dictionary<string, IReadOnlyList<object?>> Columns, PushTo To, bool AllowPartial = false);
