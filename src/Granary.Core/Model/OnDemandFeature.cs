namespace Granary.Core.Model;

/// <summary>
/// One feature of an on-demand feature view: computed by an <see cref="Expression"/> of the expression language, or by
/// a C# <see cref="Function"/> registered under that name; exactly one of the two is set.
/// </summary>
public sealed record OnDemandFeature(string Name, FeatureType Type)
{
    /// <summary>The expression (<c>amount / coalesce(customer_txn.avg_amount_7d, 1.0)</c>), or null for a function.</summary>
    public string? Expression { get; init; }

    /// <summary>The name of a registered C# function, or null for an expression.</summary>
    public string? Function { get; init; }
}
