namespace Granary.Registry.Lineage;

/// <summary>That <paramref name="To"/> is computed from (or reads) <paramref name="From"/>: data flows from upstream to downstream.</summary>
public readonly record struct LineageEdge(LineageNode From, LineageNode To);
