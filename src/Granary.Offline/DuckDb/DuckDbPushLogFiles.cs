using System.Globalization;
using Granary.Core.Model;

namespace Granary.Offline.DuckDb;

/// <summary>
/// The files of a push log folder and which of them hold its rows. Each flush writes a part, <c>part-{n}</c>, numbered
/// one above every file before it; a compaction writes <c>compacted-{n}</c>, which holds every row of the parts numbered
/// up to <c>n</c> (and of the earlier compactions, and of files logged before parts were numbered, <c>pushed-*</c>).
/// The rows are therefore those of the newest compaction and the parts above it: renaming the compacted file into
/// place is the one step that commits a compaction, so a process killed at any moment leaves every row exactly once.
/// </summary>
/// <remarks>
/// Files a compaction covered are dead: no read lists them, and the next compaction deletes them. Deleting them one
/// compaction late rather than at once lets a read that listed the folder just before a compaction finish reading them.
/// </remarks>
internal static class DuckDbPushLogFiles
{
    private const string PartPrefix = "part-";
    private const string CompactedPrefix = "compacted-";
    private const string LegacyPrefix = "pushed-";

    public static string PartName(long sequence, FileFormat format) => Name(PartPrefix, sequence, format);

    public static string CompactedName(long sequence, FileFormat format) => Name(CompactedPrefix, sequence, format);

    /// <summary>The folder's files now; an empty listing when it does not exist.</summary>
    public static PushLogListing List(string folder, FileFormat format)
    {
        if (!Directory.Exists(folder))
        {
            return new PushLogListing([], [], 0, 0);
        }

        var extension = DuckDbSql.Extension(format);
        var parts = new List<(long Sequence, string Path)>();
        var compacted = new List<(long Sequence, string Path)>();
        var legacy = new List<string>();
        foreach (var path in Directory.EnumerateFiles(folder))
        {
            var name = Path.GetFileName(path);
            if (!name.EndsWith(extension, StringComparison.Ordinal))
            {
                continue;
            }

            var stem = name[..^extension.Length];
            if (Sequence(stem, PartPrefix) is { } part)
            {
                parts.Add((part, path));
            }
            else if (Sequence(stem, CompactedPrefix) is { } compaction)
            {
                compacted.Add((compaction, path));
            }
            else if (stem.StartsWith(LegacyPrefix, StringComparison.Ordinal))
            {
                legacy.Add(path);
            }
        }

        var newest = compacted.Count == 0 ? -1 : compacted.Max(c => c.Sequence);
        var live = new List<string>();
        var dead = new List<string>();
        foreach (var (sequence, path) in compacted)
        {
            (sequence == newest ? live : dead).Add(path);
        }

        (newest < 0 ? live : dead).AddRange(legacy);
        var liveParts = newest < 0 ? legacy.Count : 0;
        foreach (var (sequence, path) in parts.OrderBy(p => p.Sequence))
        {
            if (sequence > newest)
            {
                live.Add(path);
                liveParts++;
            }
            else
            {
                dead.Add(path);
            }
        }

        var last = Math.Max(Math.Max(newest, 0), parts.Count == 0 ? 0 : parts.Max(p => p.Sequence));
        live.Sort(StringComparer.Ordinal);
        return new PushLogListing(live, dead, last, liveParts);
    }

    private static string Name(string prefix, long sequence, FileFormat format) =>
        prefix + sequence.ToString("D19", CultureInfo.InvariantCulture) + DuckDbSql.Extension(format);

    private static long? Sequence(string stem, string prefix) =>
        stem.StartsWith(prefix, StringComparison.Ordinal)
        && long.TryParse(stem.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? sequence
            : null;
}

/// <summary>A push log folder's files: those holding its rows, those a compaction covered, and its numbering.</summary>
/// <param name="Live">The files whose rows are the log's, in name order.</param>
/// <param name="Dead">Files a compaction covered, to delete.</param>
/// <param name="LastSequence">The highest number of a part or compaction; the next part takes the one above.</param>
/// <param name="LiveParts">How many live files are parts (not the compaction), which is what triggers the next one.</param>
internal sealed record PushLogListing(IReadOnlyList<string> Live, IReadOnlyList<string> Dead, long LastSequence, int LiveParts);
