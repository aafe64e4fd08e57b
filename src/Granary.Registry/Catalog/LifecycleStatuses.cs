namespace Granary.Registry.Catalog;

/// <summary>The wire and storage spelling of <see cref="LifecycleStatus"/>: <c>draft</c>, <c>active</c>, <c>deprecated</c>, <c>archived</c>.</summary>
public static class LifecycleStatuses
{
    public static string Key(this LifecycleStatus status) => status switch
    {
        LifecycleStatus.Draft => "draft",
        LifecycleStatus.Active => "active",
        LifecycleStatus.Deprecated => "deprecated",
        LifecycleStatus.Archived => "archived",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static bool TryParse(string? text, out LifecycleStatus status)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "draft": status = LifecycleStatus.Draft; return true;
            case "active": status = LifecycleStatus.Active; return true;
            case "deprecated": status = LifecycleStatus.Deprecated; return true;
            case "archived": status = LifecycleStatus.Archived; return true;
            default: status = default; return false;
        }
    }
}
