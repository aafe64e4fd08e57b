namespace Granary.Registry.Planning;

/// <summary>
/// Features of an online stream feature view that have no state yet once the plan is applied: a new view's, or the
/// aggregations or windows added to a live one. They serve from the next events unless backfilled
/// (<c>granary backfill VIEW --start T --end T</c>); the view's other features keep their state.
/// </summary>
/// <param name="View">The stream feature view.</param>
/// <param name="Features">Its features without state, in schema order.</param>
/// <param name="NewView">Whether the whole view is new to the registry.</param>
public sealed record NewStreamFeatures(string View, IReadOnlyList<string> Features, bool NewView);
