using Granary.Contracts.Errors;
using Granary.Core.Errors;

namespace Granary.Materialization;

/// <summary>A view whose materialization failed.</summary>
/// <param name="View">The view.</param>
/// <param name="Error">Why it failed.</param>
/// <param name="Watermark">
/// Its watermark, which the failed run did not move (null when it never had one, or the store could not be asked).
/// Some of its values may have been written; re-running from the watermark is safe.
/// </param>
public sealed record MaterializationFailure(string View, GranaryException Error, DateTimeOffset? Watermark);
