using Granary.Core.Model;
using Granary.Core.Values;

namespace Granary.OnDemand;

/// <summary>One feature of an on-demand view, compiled: its name, dtype and what computes it from a row.</summary>
internal sealed record OnDemandFeaturePlan(string Name, FeatureType Type, Func<OnDemandRow, OnDemandInputs, FeatureValue> Compute);
