using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;
using Granary.Core.Values;

namespace Granary.Online;

/// <summary>A record to store for one entity of one view; see <see cref="OnlineRecord"/> for its bytes.</summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public readonly record struct OnlineWrite(string View, EntityKey Entity, byte[] Record);
