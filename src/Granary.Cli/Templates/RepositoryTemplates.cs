using System.Text;
using Granary.Cli.Quickstart;
using Granary.Contracts.Errors;
using Granary.Core.Errors;

namespace Granary.Cli.Templates;

/// <summary>
/// Writes new feature repositories: <c>minimal</c>, a small valid repository to edit, and <c>adtech</c>, the
/// quickstart demo with its generated data. The YAML is hand-written text, so it reads like the documentation's
/// examples and carries comments.
/// </summary>
internal static class RepositoryTemplates
{
    /// <summary>One entity, one CSV source, one feature view, one feature service.</summary>
    public const string Minimal = "minimal";

    /// <summary>The quickstart: users and ads, four feature views, two feature services and 30 days of data.</summary>
    public const string Adtech = "adtech";

    /// <summary>The templates <see cref="WriteAsync(string, string, CancellationToken)"/> knows.</summary>
    public static IReadOnlyList<string> Names { get; } = [Minimal, Adtech];

    /// <summary>
    /// Writes <paramref name="template"/> into <paramref name="directory"/>, creating it when missing. Refuses a
    /// folder that already holds a repository (a <c>granary.yaml</c>) or any file the template would overwrite.
    /// </summary>
    /// <param name="template">One of <see cref="Names"/>.</param>
    /// <param name="directory">The new repository's root.</param>
    /// <param name="cancellationToken">Cancels the write (and data generation).</param>
    public static Task<TemplateResult> WriteAsync(string template, string directory, CancellationToken cancellationToken = default) =>
        WriteAsync(template, directory, demoData: null, cancellationToken);

    /// <inheritdoc cref="WriteAsync(string, string, CancellationToken)"/>
    /// <param name="template">One of <see cref="Names"/>.</param>
    /// <param name="directory">The new repository's root.</param>
    /// <param name="demoData">Sizes and seed of the <c>adtech</c> data; the defaults when null.</param>
    /// <param name="cancellationToken">Cancels the write (and data generation).</param>
    public static async Task<TemplateResult> WriteAsync(
        string template, string directory, DemoDataOptions? demoData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(directory);
        var root = Path.GetFullPath(directory);
        var files = template switch
        {
            Minimal => MinimalTemplate.Files(ProjectNameFor(root)),
            Adtech => AdtechTemplate.Files,
            _ => throw new GranaryException(
                ErrorCodes.InvalidArgument,
                $"Unknown template '{template}'; expected one of: {string.Join(", ", Names)}."),
        };

        if (File.Exists(Path.Combine(root, "granary.yaml")))
        {
            throw new GranaryException(
                ErrorCodes.InvalidArgument,
                $"'{root}' already contains a granary.yaml. Choose an empty folder, or remove that file to start over.");
        }

        // Check everything before writing anything, so a refusal leaves the folder as it was.
        foreach (var file in files)
        {
            var path = Path.Combine(root, file.Path);
            if (File.Exists(path))
            {
                throw new GranaryException(
                    ErrorCodes.InvalidArgument,
                    $"'{path}' already exists and the '{template}' template would overwrite it. Choose an empty folder.");
            }
        }

        var written = new List<string>(files.Count);
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        foreach (var file in files)
        {
            var path = Path.Combine(root, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, file.Content, utf8, cancellationToken);
            written.Add(file.Path);
        }

        var data = template == Adtech
            ? await DemoDataGenerator.GenerateAsync(root, demoData ?? new DemoDataOptions(), cancellationToken)
            : null;
        return new TemplateResult(template, root, written, data);
    }

    /// <summary>A project identifier from a folder name: lowercase letters, digits and underscores.</summary>
    internal static string ProjectNameFor(string directory)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(directory));
        var builder = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant())
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }

        var project = builder.ToString().Trim('_');
        if (project.Length == 0)
        {
            return "my_features";
        }

        // An identifier starts with a letter; "2024-models" becomes "p_2024_models".
        project = char.IsAsciiLetter(project[0]) ? project : "p_" + project;
        return project.Length > 64 ? project[..64] : project;
    }
}
