using Granary.Core.Model;

namespace Granary.Quality.Validation;

/// <summary>
/// A rule judged over a set of rows rather than one: <c>unique</c> (no two rows of one entity at one event time) or
/// <c>max_null_fraction</c> (<see cref="MaxNullFraction"/>: at most that share of the rows null).
/// </summary>
internal sealed record BatchRule(string Feature, FieldValidationRule Declaration, int Cell, double MaxNullFraction)
{
    public string Kind => Declaration.Rule;

    public bool IsUnique => Declaration.Rule == "unique";
}
