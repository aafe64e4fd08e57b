namespace Granary.Quality.Drift;

/// <summary>Categories present on one side of a comparison only, with one example of each kind.</summary>
internal readonly record struct DriftCategoryChanges(int Appeared, string? AppearedExample, int Vanished, string? VanishedExample)
{
    public static DriftCategoryChanges None => default;
}
