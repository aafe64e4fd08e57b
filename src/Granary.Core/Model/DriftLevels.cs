namespace Granary.Core.Model;

/// <summary>Three thresholds of one drift measure, for the low, medium and high severities.</summary>
public readonly record struct DriftLevels(double Low, double Medium, double High);
