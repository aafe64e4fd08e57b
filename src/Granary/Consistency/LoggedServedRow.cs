namespace Granary.Consistency;

/// <summary>One row of a view's serving log, as the consistency check reads it.</summary>
/// <param name="Entity">The join keys as requested, in the key's declared type.</param>
/// <param name="ServedAt">When the row was served, UTC.</param>
/// <param name="Values">The served value of each feature of the view, in schema order.</param>
/// <param name="Found">Each feature's found flag: null when the request did not ask for the feature.</param>
internal sealed record LoggedServedRow(Dictionary<string, object?> Entity, DateTimeOffset ServedAt, object?[] Values, bool?[] Found);
