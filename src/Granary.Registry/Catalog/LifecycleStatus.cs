namespace Granary.Registry.Catalog;

/// <summary>
/// Where a catalog entry is in its lifecycle: <c>draft → active → deprecated → archived</c>. A feature that
/// <c>apply</c> creates starts active; one registered through the API that no view defines starts as a draft.
/// </summary>
public enum LifecycleStatus
{
    Draft,
    Active,
    Deprecated,
    Archived,
}
