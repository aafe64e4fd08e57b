namespace Granary.Cli.Quickstart;

/// <summary>What <see cref="DemoDataGenerator"/> wrote, for the CLI to print.</summary>
/// <param name="Files">Each file written, in the order written.</param>
/// <param name="WindowStart">The first instant of the event window (UTC, inclusive).</param>
/// <param name="WindowEnd">The end of the event window (UTC, exclusive); no event happens at or after it.</param>
/// <param name="Elapsed">How long generation took.</param>
internal sealed record DemoDataSummary(
    IReadOnlyList<DemoDataFile> Files,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    TimeSpan Elapsed)
{
    /// <summary>The total number of rows over all files.</summary>
    public long TotalRows
    {
        get
        {
            long total = 0;
            foreach (var file in Files)
            {
                total += file.Rows;
            }

            return total;
        }
    }
}

/// <summary>One generated file.</summary>
/// <param name="Name">The file name, for example <c>impressions.parquet</c>.</param>
/// <param name="Path">The file's absolute path.</param>
/// <param name="Rows">The number of rows written.</param>
internal sealed record DemoDataFile(string Name, string Path, long Rows);
