using System.CommandLine;

namespace Granary.Cli.Commands;

/// <summary>What a command's action needs besides its own arguments: the repository path and the output streams.</summary>
internal sealed class CommandContext(ParseResult parseResult)
{
    public TextWriter Output { get; } = parseResult.InvocationConfiguration.Output;

    public TextWriter Error { get; } = parseResult.InvocationConfiguration.Error;

    public string RepositoryPath { get; } = parseResult.GetValue(CommonOptions.Repo) ?? ".";

    public FeatureStore OpenStore() => FeatureStore.Open(RepositoryPath);
}
