namespace Granary.Core.Model;

/// <summary>Where feature values come from. See <see cref="BatchSource"/> and <see cref="PushSource"/>.</summary>
public abstract record DataSource : Definition
{
    public override ObjectKind Kind => ObjectKind.DataSource;

    /// <summary>The <c>type</c> written in YAML: <c>file</c>, <c>postgres</c> or <c>push</c>.</summary>
    public abstract string SourceType { get; }
}
