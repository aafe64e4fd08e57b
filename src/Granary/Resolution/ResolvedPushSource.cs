using Granary.Core.Model;
using Granary.OnlineServing;

namespace Granary.Resolution;

/// <summary>A push source as every path sees it: where its rows are logged, and the views that read it.</summary>
/// <param name="Source">The push source.</param>
/// <param name="Batch">Its batch source (see <see cref="Core.Sources.BatchSources"/>).</param>
/// <param name="Views">The views over it, in definition order.</param>
internal sealed record ResolvedPushSource(PushSource Source, BatchSource Batch, IReadOnlyList<OnlineViewPlan> Views);
