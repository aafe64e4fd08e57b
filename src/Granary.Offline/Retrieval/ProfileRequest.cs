using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;

namespace Granary.Offline.Retrieval;

/// <summary>
/// What a profile reads: the source rows of one view whose event time is in [<see cref="Start"/>, <see cref="End"/>)
/// (the end excluded), and the features of <see cref="PointInTimeView.Features"/>, typed by the view's schema.
/// </summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public sealed record ProfileRequest(PointInTimeView View, DateTimeOffset Start, DateTimeOffset End, string RepositoryRoot);
