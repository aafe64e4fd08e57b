namespace Granary.Quality.Profiles;

/// <summary>How many rows hold one value of a string or boolean feature (booleans as <c>true</c> and <c>false</c>).</summary>
public sealed record CategoryCount(string Value, long Count);
