namespace Granary.Consistency;

/// <summary>How one served value of one feature agrees with the value the offline store gives at the served instant.</summary>
internal enum ConsistencyOutcome
{
    /// <summary>Neither side has a value: nothing to compare, so the row does not count for the feature.</summary>
    NotCompared,

    /// <summary>Both sides have a value and they are equal (floating-point values within a relative 1e-9).</summary>
    Match,

    /// <summary>Both sides have a value and they differ.</summary>
    Mismatch,

    /// <summary>The online store served nothing (not found or null) where the offline store has a value.</summary>
    Missing,

    /// <summary>The online store served a value where the offline store has none.</summary>
    Extra,
}
