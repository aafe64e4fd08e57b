using System.CommandLine;
using Granary.Cli.Commands;

namespace Granary.Cli;

/// <summary>The <c>granary</c> command tree. Runs in-process for tests, with its output captured.</summary>
internal static class GranaryCli
{
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        RunAsync(args, output, error, CliTerminal.None, cancellationToken);

    internal static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CliTerminal terminal, CancellationToken cancellationToken = default) =>
        RunAsync(args, output, error, terminal, TimeProvider.System, cancellationToken);

    /// <summary>The command tree on <paramref name="timeProvider"/>'s clock: for tests, which must not depend on the day they run.</summary>
    internal static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CliTerminal terminal, TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        var root = BuildRootCommand(terminal);
        // Ctrl+C cancels the command's token; the timeout leaves a server time to finish in-flight requests.
        var configuration = new CliInvocation { Output = output, Error = error, ProcessTerminationTimeout = TimeSpan.FromSeconds(35), TimeProvider = timeProvider };
        var parseResult = root.Parse(args.Length == 0 ? ["--help"] : args);
        if (parseResult.Errors.Count > 0)
        {
            return CommandLineErrors.Write(parseResult, error);
        }

        var exit = await parseResult.InvokeAsync(configuration, cancellationToken);
        // Bare 'granary' shows the help, as git does, but is not a successful command.
        return args.Length == 0 ? CommandRunner.Failed : exit;
    }

    public static Command BuildRootCommand() => BuildRootCommand(CliTerminal.None);

    internal static Command BuildRootCommand(CliTerminal terminal)
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
        root.Subcommands.Add(InitCommand.Create());
        root.Subcommands.Add(PlanCommand.Create());
        root.Subcommands.Add(ApplyCommand.Create());
        foreach (var command in RegistryObjectCommands.Create())
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(RegistryDumpCommand.Create());
        root.Subcommands.Add(ProjectsCommand.Create());
        root.Subcommands.Add(HistoryCommand.Create());
        root.Subcommands.Add(FeaturesCommand.Create());
        root.Subcommands.Add(LineageCommand.Create());
        root.Subcommands.Add(GetHistoricalCommand.Create());
        root.Subcommands.Add(SavedDatasetsCommand.Create());
        root.Subcommands.Add(AugmentCommand.Create());
        root.Subcommands.Add(ProfileCommand.Create());
        root.Subcommands.Add(DriftCommand.Create());
        root.Subcommands.Add(ConsistencyCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(MaterializeCommands.Materialize());
        root.Subcommands.Add(MaterializeCommands.MaterializeIncremental());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(BackfillCommand.Create());
        root.Subcommands.Add(GetOnlineCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(StreamCommands.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(MonitorCommand.Create());
        root.Subcommands.Add(TeardownCommand.Create(terminal));
        root.Subcommands.Add(ConfigCommand.Create());
        root.Subcommands.Add(QuickstartCommand.Create());
        root.Subcommands.Add(VersionCommand.Create());
        AddRepoOption(root);
        return root;
    }

    /// <summary>
    /// <c>--repo</c> and <c>--env</c> on every command that reads a repository (all but <c>version</c> and
    /// <c>quickstart</c>, which make their own), so that their help shows them and the others' does not.
    /// </summary>
    private static void AddRepoOption(Command command)
    {
        foreach (var subcommand in command.Subcommands)
        {
            if (subcommand.Name is VersionCommand.Name or QuickstartCommand.Name)
            {
                continue;
            }

            if (subcommand.Action is not null)
            {
                subcommand.Options.Add(CommonOptions.Repo);
                subcommand.Options.Add(CommonOptions.Env);
            }

            AddRepoOption(subcommand);
        }
    }
}
