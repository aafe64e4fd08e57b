using Granary.Contracts.Errors;
using Granary.Core.Errors;

namespace Granary.Materialization;

/// <summary>
/// A materialization in which at least one view failed: which views were written (and so had their watermarks moved)
/// and which failed (and kept theirs). The code is the first failure's.
/// </summary>
public sealed class MaterializationException : GranaryException
{
    public MaterializationException(IReadOnlyList<MaterializationResult> completed, IReadOnlyList<MaterializationFailure> failures)
        : base(failures.Count > 0 ? failures[0].Error.Code : ErrorCodes.InvalidArgument, Describe(completed, failures), failures.Count > 0 ? failures[0].Error : null)
    {
        Completed = completed;
        Failures = failures;
    }

    public MaterializationException()
        : this([], [])
    {
    }

    public MaterializationException(string message)
        : base(message)
    {
        Completed = [];
        Failures = [];
    }

    public MaterializationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Completed = [];
        Failures = [];
    }

    /// <summary>The views materialized in full; their watermarks moved to the interval's end.</summary>
    public IReadOnlyList<MaterializationResult> Completed { get; }

    /// <summary>The views that failed; their watermarks did not move.</summary>
    public IReadOnlyList<MaterializationFailure> Failures { get; }

    private static string Describe(IReadOnlyList<MaterializationResult> completed, IReadOnlyList<MaterializationFailure> failures)
    {
        var failed = string.Join("; ", failures.Select(f => $"'{f.View}': {f.Error.Message}"));
        var written = completed.Count == 0
            ? "no view was written"
            : $"written, with watermarks moved to the end: {string.Join(", ", completed.Select(c => $"'{c.View}'"))}";
        return $"Materialization failed for {failures.Count} feature view{(failures.Count == 1 ? "" : "s")} ({failed}); {written}. Failed views keep their watermarks, so running again is safe.";
    }
}
