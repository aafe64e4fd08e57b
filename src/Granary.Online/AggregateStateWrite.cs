using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;
using Granary.Core.Values;

namespace Granary.Online;

/// <summary>
/// A compare-and-set of one key's aggregate state: <see cref="State"/> replaces the stored one only if the key is still
/// at <see cref="ExpectedVersion"/> (0 for a key that has no state yet).
/// </summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public readonly record struct AggregateStateWrite(string View, EntityKey Entity, long ExpectedVersion, byte[] State);
