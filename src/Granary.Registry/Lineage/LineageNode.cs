namespace Granary.Registry.Lineage;

/// <summary>One node of the lineage graph: a data source, a feature view, a feature or a feature service, by name.</summary>
/// <param name="Kind">What it is; names are unique per kind.</param>
/// <param name="Name">Its name (<c>view:feature</c> or a bare name for a feature).</param>
public readonly record struct LineageNode(LineageNodeKind Kind, string Name)
{
    public override string ToString() => $"{Kind.Key()} {Name}";
}
