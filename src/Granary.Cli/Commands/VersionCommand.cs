using System.CommandLine;

namespace Granary.Cli.Commands;

/// <summary><c>granary version</c>.</summary>
internal static class VersionCommand
{
    public const string Name = "version";

    public static Command Create()
    {
        var command = new Command(Name, "Print Granary's version.");
        CommandRunner.SetAction(command, (_, context, _) =>
        {
            context.Output.WriteLine($"granary {FeatureStore.Version} (.NET {Environment.Version})");
            return Task.FromResult(0);
        });
        return command;
    }
}
