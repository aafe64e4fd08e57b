namespace Granary.Client;

/// <summary>Why a feature's value is what it is, as the server says (Feast's statuses).</summary>
public enum FeatureStatus
{
    /// <summary>The store has a value for the entity, within the view's time to live.</summary>
    Present,

    /// <summary>The store has no value for the entity.</summary>
    NotFound,

    /// <summary>The store has the entity, with a null value.</summary>
    NullValue,

    /// <summary>The store's value is older than the view's time to live allows.</summary>
    OutsideMaxAge,

    /// <summary>A status this client version does not know (a newer server's); read the value as missing.</summary>
    Unknown,
}
