using System.Diagnostics.CodeAnalysis;
using Granary.Core.Model;
using Granary.Core.Providers;

namespace Granary.Core.Sources;

/// <summary>
/// Reads the column names and types of a batch source, so that validation can check a repository's definitions
/// against the data before anything is applied. Implemented by the offline engines, which know how to reach
/// each kind of source.
/// </summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public interface ISourceSchemaInspector
{
    /// <summary>
    /// The source's columns as stored (before <see cref="BatchSource.FieldMapping"/>), or null when this inspector
    /// cannot reach that kind of source. Throws <see cref="Core.Errors.GranaryException"/> with
    /// <see cref="Contracts.Errors.ErrorCodes.SourceUnavailable"/> when the source should be readable but is not
    /// (a missing file, a table that does not exist).
    /// </summary>
    /// <param name="source">The source to inspect.</param>
    /// <param name="repositoryRoot">The repository root that relative file paths are resolved against.</param>
    /// <param name="cancellationToken">Cancels the inspection.</param>
    Task<SourceSchema?> InspectAsync(BatchSource source, string repositoryRoot, CancellationToken cancellationToken = default);
}
