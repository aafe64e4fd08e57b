using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;
using Granary.Core.Values;

namespace Granary.Online;

/// <summary>One entity of one feature view: the unit a store keeps a record for.</summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public readonly record struct OnlineKey(string View, EntityKey Entity);
