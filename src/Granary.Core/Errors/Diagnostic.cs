namespace Granary.Core.Errors;

/// <summary>One mistake found in a repository, with where it is.</summary>
public sealed record Diagnostic(string Code, string Message, SourceLocation? Location)
{
    public override string ToString() => Location is { } at ? $"{at}: {Message}" : Message;
}
