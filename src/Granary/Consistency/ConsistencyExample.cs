using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;

namespace Granary.Consistency;

/// <summary>One served row whose value of a feature disagreed with the offline store.</summary>
/// <param name="Entity">The join keys and their values.</param>
/// <param name="ServedAt">When the row was served.</param>
/// <param name="Served">The served value; null when nothing was served.</param>
/// <param name="Offline">The offline value at <paramref name="ServedAt"/>; null when there is none.</param>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public sealed record ConsistencyExample(
    IReadOnlyDictionary<string, object?> Entity,
    DateTimeOffset ServedAt,
    object? Served,
    object? Offline);
