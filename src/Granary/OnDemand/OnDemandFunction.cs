using Granary.Core.Values;

namespace Granary.OnDemand;

/// <summary>
/// A C# function computing one on-demand feature (<c>function: NAME</c> in the definition) from one row's inputs: the
/// request fields by name and the source views' features as <c>view.feature</c>. Called once per entity on the serving
/// path: it should not block, and it should return a value of the feature's dtype (or <see cref="FeatureValue.Null"/>).
/// </summary>
public delegate FeatureValue OnDemandFunction(OnDemandInputs inputs);
