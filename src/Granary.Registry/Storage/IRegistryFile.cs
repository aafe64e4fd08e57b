using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;

namespace Granary.Registry.Storage;

/// <summary>
/// A registry kept in one local file. Until the file exists, readers see an empty registry and nothing creates it:
/// plan, list and history change nothing on disk, and the first apply creates the file.
/// </summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public interface IRegistryFile
{
    /// <summary>The full path of the file.</summary>
    string FilePath { get; }
}
