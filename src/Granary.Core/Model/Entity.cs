namespace Granary.Core.Model;

/// <summary>
/// A thing features describe (a user, an ad). Its join keys are the columns that identify it in sources and
/// entity tables; a view over several entities is keyed by all their join keys (a composite key).
/// </summary>
public sealed record Entity : Definition
{
    /// <summary>Key columns; by default one column named after the entity.</summary>
    public required IReadOnlyList<string> JoinKeys { get; init; }

    /// <summary>The type of the key values.</summary>
    public required FeatureType ValueType { get; init; }

    public override ObjectKind Kind => ObjectKind.Entity;
}
