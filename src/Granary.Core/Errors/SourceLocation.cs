namespace Granary.Core.Errors;

/// <summary>A place in a definition file (or in C# source, for code-first definitions).</summary>
/// <param name="File">The path as the user would type it, relative to the repository where possible.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column, or 0 when unknown.</param>
public readonly record struct SourceLocation(string File, int Line, int Column = 0)
{
    public override string ToString() => Column > 0 ? $"{File}:{Line}:{Column}" : $"{File}:{Line}";
}
