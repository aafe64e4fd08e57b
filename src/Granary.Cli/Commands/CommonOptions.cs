using System.CommandLine;

namespace Granary.Cli.Commands;

/// <summary>Options shared by many commands.</summary>
internal static class CommonOptions
{
    /// <summary>
    /// <c>--repo DIR</c>: the feature repository to work on. Without it, the nearest folder holding granary.yaml,
    /// from the current folder up (see <see cref="RepositoryDiscovery"/>). Added to every command that reads a
    /// repository; <c>version</c> and <c>quickstart</c> do not take it.
    /// </summary>
    public static readonly Option<string?> Repo = new("--repo")
    {
        Description = "The feature repository (the folder holding granary.yaml); by default the nearest one from the current folder up.",
        HelpName = "DIR",
    };

    /// <summary>
    /// <c>--env E</c>: the environment whose <c>config/E.yaml</c> (after <c>config/base.yaml</c>) overlays granary.yaml.
    /// Without it, the one <c>GRANARY_ENV</c> names, if any. Added wherever <see cref="Repo"/> is.
    /// </summary>
    public static readonly Option<string?> Env = new("--env")
    {
        Description = "The environment whose config/ENV.yaml overlays granary.yaml (dev, staging, prod, ...); by default GRANARY_ENV's.",
        HelpName = "ENV",
    };
}
