using System.CommandLine;
using Granary.Cli.Output;

namespace Granary.Cli.Commands;

/// <summary><c>granary projects list</c>: the projects in the repository's registry (a shared registry may hold several).</summary>
internal static class ProjectsCommand
{
    public static Command Create()
    {
        var group = new Command("projects", "List the projects in the repository's registry.");
        var list = new Command("list", "List every project applied to the registry, with its version and last apply; '*' marks this repository's.");
        CommandRunner.SetAction(list, async (_, context, cancellationToken) =>
        {
            await using var store = context.OpenStore();
            var projects = await store.ListProjectsAsync(cancellationToken);
            if (projects.Count == 0)
            {
                context.Output.WriteLine($"No project in the registry yet. Run 'granary apply' to register project '{store.Project}'.");
                return 0;
            }

            var table = new TextTable("", "PROJECT", "VERSION", "LAST APPLIED");
            foreach (var project in projects)
            {
                table.AddRow(project.Name == store.Project ? "*" : "", project.Name, project.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{project.UpdatedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z");
            }

            table.Write(context.Output);
            return 0;
        });
        group.Subcommands.Add(list);
        return group;
    }
}
