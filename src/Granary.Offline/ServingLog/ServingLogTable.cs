using Granary.Core.Model;

namespace Granary.Offline;

/// <summary>
/// The serving log of one view: its join keys and features with their types, which become its typed columns (each
/// join key, <c>served_at</c>, each feature, then a <c>&lt;feature&gt;__found</c> flag per feature).
/// </summary>
/// <param name="Project">The project the view belongs to.</param>
/// <param name="View">The feature view.</param>
/// <param name="RepositoryRoot">The repository root: where a file-based engine keeps the log (<c>data/serving_log/</c>).</param>
/// <param name="JoinKeys">The view's join keys and their types.</param>
/// <param name="Features">The view's features and their types, in schema order.</param>
public sealed record ServingLogTable(string Project, string View, string RepositoryRoot, IReadOnlyList<Field> JoinKeys, IReadOnlyList<Field> Features)
{
    /// <summary>The column holding the instant a row was served.</summary>
    public const string ServedAtColumn = "served_at";

    /// <summary>The suffix of each feature's found flag column.</summary>
    public const string FoundSuffix = "__found";

    /// <summary>The serving log's <see cref="Log"/>.</summary>
    public const string ServingLog = "serving_log";

    /// <summary>
    /// Which log the table belongs to, a lower-case identifier: <see cref="ServingLog"/>, or <c>exposure_log</c> for
    /// experiments. It names the folder (<c>data/&lt;log&gt;/</c>) or the table prefix (<c>&lt;log&gt;__</c>), so
    /// tables of two logs never meet even where a view and an experiment share a name.
    /// </summary>
    public string Log { get; init; } = ServingLog;

    /// <summary>The column names in the order reads return them.</summary>
    public IReadOnlyList<string> Columns()
    {
        var names = new List<string>(JoinKeys.Count + 1 + (2 * Features.Count));
        names.AddRange(JoinKeys.Select(k => k.Name));
        names.Add(ServedAtColumn);
        names.AddRange(Features.Select(f => f.Name));
        names.AddRange(Features.Select(f => f.Name + FoundSuffix));
        return names;
    }
}
