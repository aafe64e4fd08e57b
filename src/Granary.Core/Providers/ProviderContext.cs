using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Granary.Core.Providers;

/// <summary>
/// What a provider gets besides its options when it creates a store: the repository it serves and the host's
/// logging, metrics and clock, as given to the <c>FeatureStoreBuilder</c>.
/// </summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public sealed class ProviderContext
{
    /// <summary>The project, which stores shared between projects use to keep them apart.</summary>
    public required string Project { get; init; }

    /// <summary>The absolute repository root; relative paths in options are resolved against it.</summary>
    public required string RepositoryRoot { get; init; }

    /// <summary>The host's loggers; a provider names its category after its store type.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>The host's meters, so a provider's instruments belong to the host; null when the host gave none.</summary>
    public IMeterFactory? MeterFactory { get; init; }

    /// <summary>The clock; the system clock unless the host gave another.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Resolves a path from the options against the repository root (an absolute path stays as it is).</summary>
    public string ResolvePath(string path) => Path.GetFullPath(path, RepositoryRoot);
}
