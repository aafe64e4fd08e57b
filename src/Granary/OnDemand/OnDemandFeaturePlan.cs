using Granary.Core.Model;
using Granary.Core.Values;

namespace Granary.OnDemand;

/// <summary>
/// One feature of an on-demand view, compiled: its name, dtype, what computes it from a row, and which of the view's
/// inputs it reads (an expression its columns; a function all of them), so a request brings only the data it needs.
/// </summary>
internal sealed record OnDemandFeaturePlan(string Name, FeatureType Type, Func<OnDemandRow, OnDemandInputs, FeatureValue> Compute, int[] Inputs);
