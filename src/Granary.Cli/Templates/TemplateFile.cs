namespace Granary.Cli.Templates;

/// <summary>One text file of a repository template.</summary>
/// <param name="Path">The path relative to the repository root, with forward slashes.</param>
/// <param name="Content">The file's text, written as UTF-8 without a byte order mark.</param>
internal sealed record TemplateFile(string Path, string Content);
