using System.CommandLine;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Registry.Configuration;

namespace Granary.Cli.Commands;

/// <summary>What a command's action needs besides its own arguments: the repository path and the output streams.</summary>
internal sealed class CommandContext(ParseResult parseResult)
{
    private string? _repositoryPath;

    public TextWriter Output { get; } = parseResult.InvocationConfiguration.Output;

    public TextWriter Error { get; } = parseResult.InvocationConfiguration.Error;

    /// <summary>The clock for ttl checks, watermarks and <c>now</c>: the system's, unless a test ran the tree on its own.</summary>
    public TimeProvider TimeProvider { get; } = (parseResult.InvocationConfiguration as CliInvocation)?.TimeProvider ?? TimeProvider.System;

    /// <summary>The folder <c>--repo</c> names, or null when it is not given.</summary>
    public string? ExplicitRepositoryPath { get; } = parseResult.GetResult(CommonOptions.Repo)?.GetValueOrDefault<string?>();

    /// <summary>The environment <c>--env</c> names, or null for the one <c>GRANARY_ENV</c> names (the builder reads it).</summary>
    public string? EnvironmentName { get; } = parseResult.GetResult(CommonOptions.Env)?.GetValueOrDefault<string?>();

    /// <summary><c>--repo</c>, or else the nearest folder holding granary.yaml from the current folder up.</summary>
    /// <exception cref="GranaryException">Neither is there.</exception>
    public string RepositoryPath => _repositoryPath ??= ExplicitRepositoryPath ?? RepositoryDiscovery.Find(Environment.CurrentDirectory)
        ?? throw new GranaryException(
            ErrorCodes.InvalidConfig,
            $"No {RepositoryConfig.FileName} in {Environment.CurrentDirectory} or any folder above it. Run 'granary init' to create a repository, or pass --repo DIR.");

    /// <summary>
    /// A builder over the repository in the chosen environment, on the invocation's clock; the CLI logs nothing, so the
    /// builder's defaults (no loggers, no meters) stand.
    /// </summary>
    public FeatureStoreBuilder StoreBuilder() => new FeatureStoreBuilder(RepositoryPath).UseEnvironment(EnvironmentName).UseTimeProvider(TimeProvider);

    /// <summary>
    /// Composes the repository's store; the configuration's warnings (keys nothing reads) go to stderr, unless the
    /// command prints them itself (<c>plan</c> lists them with the plan's own).
    /// </summary>
    public FeatureStore OpenStore(bool writeWarnings = true)
    {
        var store = StoreBuilder().Build();
        if (writeWarnings)
        {
            WriteWarnings(store.ConfigurationWarnings);
        }

        return store;
    }

    /// <summary>Prints configuration warnings on stderr, so stdout stays the command's output.</summary>
    public void WriteWarnings(IReadOnlyList<Diagnostic> warnings)
    {
        foreach (var warning in warnings)
        {
            Error.WriteLine($"warning: {warning}");
        }
    }

    /// <summary>
    /// Opens the repository for a command that needs its definitions applied (reads, materialization, serving,
    /// teardown). Before the first apply it fails without creating any file: nothing is opened but the registry,
    /// which an embedded registry that does not exist yet is not.
    /// </summary>
    /// <param name="cancellationToken">Cancels the registry read.</param>
    /// <param name="writeWarnings">Whether the configuration's warnings go to stderr; <c>serve</c> logs them instead.</param>
    public async Task<FeatureStore> OpenAppliedStoreAsync(CancellationToken cancellationToken, bool writeWarnings = true)
    {
        var store = OpenStore(writeWarnings);
        try
        {
            var registry = await store.GetRegistryAsync(cancellationToken);
            if (registry.Version == 0)
            {
                throw new GranaryException(ErrorCodes.NotFound, $"Project '{store.Project}' has not been applied yet: run `granary apply` first.");
            }

            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }
}
