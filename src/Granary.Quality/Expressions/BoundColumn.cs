using Granary.Core.Model;

namespace Granary.Quality.Expressions;

/// <summary>A column an expression reads: its name, its schema type and the type the expression sees it as.</summary>
internal sealed record BoundColumn(string Name, FeatureType FeatureType, ExpressionValueType Type);
