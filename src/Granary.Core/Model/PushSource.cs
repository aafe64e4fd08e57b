namespace Granary.Core.Model;

/// <summary>
/// A source that receives rows pushed by applications (or streams); pushed rows are also logged to
/// <see cref="BatchSourceName"/>, which gives the push source its schema and history.
/// </summary>
public sealed record PushSource : DataSource
{
    public required string BatchSourceName { get; init; }

    public override string SourceType => "push";
}
