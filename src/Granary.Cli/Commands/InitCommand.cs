using System.CommandLine;
using Granary.Cli.Templates;

namespace Granary.Cli.Commands;

/// <summary><c>granary init [DIR] [--template minimal|adtech]</c>: create a new feature repository.</summary>
internal static class InitCommand
{
    public static Command Create()
    {
        var directory = new Argument<string?>("DIR") { Description = "Where to create the repository; --repo, or the current folder, by default.", Arity = ArgumentArity.ZeroOrOne };
        var template = new Option<string>("--template")
        {
            Description = $"What to start from: {string.Join(" or ", RepositoryTemplates.Names)}.",
            DefaultValueFactory = _ => RepositoryTemplates.Minimal,
        };
        template.AcceptOnlyFromAmong([.. RepositoryTemplates.Names]);
        var command = new Command("init", "Create a new feature repository.") { directory, template };
        CommandRunner.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            var result = await RepositoryTemplates.WriteAsync(parseResult.GetValue(template)!, parseResult.GetValue(directory) ?? context.ExplicitRepositoryPath ?? ".", cancellationToken);
            context.Output.WriteLine($"Created a '{result.Template}' feature repository in {result.Directory}:");
            foreach (var file in result.Files)
            {
                context.Output.WriteLine($"  {file}");
            }

            if (result.Data is { } data)
            {
                context.Output.WriteLine($"  data/ ({data.Files.Count} files, {data.TotalRows:N0} rows)");
            }

            context.Output.WriteLine("Next: 'granary plan' to check it, 'granary apply' to register it.");
            return 0;
        });
        return command;
    }
}
