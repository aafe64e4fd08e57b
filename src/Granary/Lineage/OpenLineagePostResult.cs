namespace Granary.Lineage;

/// <summary>What posting OpenLineage events did: how many the consumer accepted, and one line per refused event.</summary>
public sealed record OpenLineagePostResult(int Posted, IReadOnlyList<string> Failures);
