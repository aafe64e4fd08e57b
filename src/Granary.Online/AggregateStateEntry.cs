using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;

namespace Granary.Online;

/// <summary>A stored aggregate state and its version; <c>default</c> (no state, version 0) for a key never written.</summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public readonly record struct AggregateStateEntry(byte[]? State, long Version);
