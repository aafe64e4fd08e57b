namespace Granary;

/// <summary>How <see cref="FeatureStore.PlanAsync(ApplyOptions, CancellationToken)"/> and <see cref="FeatureStore.ApplyAsync(ApplyOptions, CancellationToken)"/> treat changed views.</summary>
public sealed record ApplyOptions
{
    public static readonly ApplyOptions Default = new();

    /// <summary>
    /// True (the default): a changed view's new version becomes current. False (<c>apply --no-promote</c>): it is
    /// staged, served only by its version (<c>view@v2:feature</c>), while the registry keeps the current definition;
    /// a later plain apply of the same definitions promotes it.
    /// </summary>
    public bool Promote { get; init; } = true;
}
