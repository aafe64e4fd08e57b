using Granary.Cli.Quickstart;

namespace Granary.Cli.Templates;

/// <summary>What <see cref="RepositoryTemplates.WriteAsync(string, string, CancellationToken)"/> wrote, for the CLI to print.</summary>
/// <param name="Template">The template's name.</param>
/// <param name="Directory">The repository root, as an absolute path.</param>
/// <param name="Files">The text files written, relative to the root, in the order written.</param>
/// <param name="Data">The generated data set, for templates that include one; null otherwise.</param>
internal sealed record TemplateResult(string Template, string Directory, IReadOnlyList<string> Files, DemoDataSummary? Data);
