using Granary.Registry.Configuration;

namespace Granary.Cli.Commands;

/// <summary>
/// Finds the repository a command runs on when <c>--repo</c> is not given, as git finds its repository: the nearest
/// folder holding <c>granary.yaml</c>, from the current folder up to the root.
/// </summary>
internal static class RepositoryDiscovery
{
    /// <summary>The nearest folder at or above <paramref name="start"/> that holds granary.yaml, or null.</summary>
    public static string? Find(string start)
    {
        for (var folder = new DirectoryInfo(Path.GetFullPath(start)); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, RepositoryConfig.FileName)))
            {
                return folder.FullName;
            }
        }

        return null;
    }
}
