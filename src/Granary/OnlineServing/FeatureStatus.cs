namespace Granary.OnlineServing;

/// <summary>Why an online value is what it is; the names and meanings are Feast's, so its clients read them unchanged.</summary>
public enum FeatureStatus
{
    /// <summary>A value within the view's ttl.</summary>
    Present,

    /// <summary>The store has no value for this entity (or only one written under a different schema of the view).</summary>
    NotFound,

    /// <summary>The latest value is null.</summary>
    NullValue,

    /// <summary>
    /// The latest value is older than the view's ttl. The value is withheld (null) so a model never uses it by
    /// mistake; its event timestamp says how old it is.
    /// </summary>
    OutsideMaxAge,
}

/// <summary>Wire names of <see cref="FeatureStatus"/>, as Feast writes them.</summary>
public static class FeatureStatuses
{
    public static string WireName(this FeatureStatus status) => status switch
    {
        FeatureStatus.Present => "PRESENT",
        FeatureStatus.NotFound => "NOT_FOUND",
        FeatureStatus.NullValue => "NULL_VALUE",
        _ => "OUTSIDE_MAX_AGE",
    };
}
