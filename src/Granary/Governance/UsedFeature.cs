namespace Granary.Governance;

/// <summary>A feature and the version of it that was served, as automatic usage recording counts it.</summary>
internal readonly record struct UsedFeature(string Feature, string Version);
