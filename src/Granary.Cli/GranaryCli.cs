using System.CommandLine;
using Granary.Cli.Commands;

namespace Granary.Cli;

/// <summary>The <c>granary</c> command tree. Runs in-process for tests, with its output captured.</summary>
public static class GranaryCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var root = BuildRootCommand();
        // Ctrl+C cancels the command's token; the timeout leaves a server time to finish in-flight requests.
        var configuration = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = TimeSpan.FromSeconds(35) };
        return await root.Parse(args).InvokeAsync(configuration, cancellationToken);
    }

    public static Command BuildRootCommand()
    {
        // A plain command rather than RootCommand, whose name (shown in "Usage:") is the entry assembly's, Granary.Cli,
        // when run through dotnet (and an assembly named granary would clash with Granary's: assembly names compare
        // case-insensitively). So the help and version options RootCommand brings are added here; its [suggest]
        // directive for dotnet-suggest's shell completion is not.
        var root = new Command("granary", "Granary: a feature store for .NET. Define features once; get point-in-time-correct training data and low-latency online features.")
        {
            new System.CommandLine.Help.HelpOption(),
            new VersionOption(),
        };
        root.Options.Add(CommonOptions.Repo);
        root.Subcommands.Add(InitCommand.Create());
        root.Subcommands.Add(PlanCommand.Create());
        root.Subcommands.Add(ApplyCommand.Create());
        foreach (var command in RegistryObjectCommands.Create())
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(HistoryCommand.Create());
        root.Subcommands.Add(GetHistoricalCommand.Create());
        root.Subcommands.Add(SavedDatasetsCommand.Create());
        root.Subcommands.Add(MaterializeCommands.Materialize());
        root.Subcommands.Add(MaterializeCommands.MaterializeIncremental());
        root.Subcommands.Add(GetOnlineCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(QuickstartCommand.Create());
        root.Subcommands.Add(VersionCommand.Create());
        return root;
    }
}
