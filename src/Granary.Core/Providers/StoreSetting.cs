using Granary.Core.Errors;

namespace Granary.Core.Providers;

/// <summary>One key of a store section, with its value (variables already expanded) and where it is written.</summary>
/// <param name="Value">The value as text; the provider that owns the key parses it.</param>
/// <param name="Location">The key's place in <c>granary.yaml</c>, or null for a section built in code.</param>
public readonly record struct StoreSetting(string Value, SourceLocation? Location = null);
