using System.Diagnostics.CodeAnalysis;
using Granary.Core.Model;
using Granary.Core.Providers;

namespace Granary.Offline;

/// <summary>Logs pushed rows to a push source's batch source, so that training data and later materializations see them too.</summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public interface IPushLog
{
    /// <summary>
    /// Appends pushed rows (column-major, named as the definitions name them) to <paramref name="source"/>. Columns the
    /// source does not have are ignored; source columns not given are null. All rows land or none do.
    /// </summary>
    Task AppendAsync(BatchSource source, string repositoryRoot, IReadOnlyDictionary<string, IReadOnlyList<object?>> columns, int rows, CancellationToken cancellationToken = default);
}
