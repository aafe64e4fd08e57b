using System.CommandLine;

namespace Granary.Cli.Commands;

/// <summary>Options shared by every command.</summary>
internal static class CommonOptions
{
    /// <summary><c>--repo DIR</c>: the feature repository to work on; the current folder by default.</summary>
    public static readonly Option<string> Repo = new("--repo")
    {
        Description = "The feature repository (the folder holding granary.yaml); the current folder by default.",
        DefaultValueFactory = _ => ".",
        Recursive = true,
        HelpName = "DIR",
    };
}
