namespace Granary.Tests.Streaming;

/// <summary>An event of the tests' stream view: a float column, an integer column and a string column, each may be null.</summary>
internal sealed record StreamEvent(long Micros, double? Amount, long? Units, string? Merchant);
