using System.Text;

namespace Granary.Reports;

/// <summary>
/// Draws a report's plots and writes its page: to a file, with each plot also written beside it as
/// <c>FILE_plots/&lt;feature&gt;.png</c>, or to any writer (what the server answers).
/// </summary>
internal static class ReportWriter
{
    /// <summary>Each histogram's PNG, by feature name.</summary>
    public static Dictionary<string, byte[]> DrawPlots(MonitoringReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var plots = new Dictionary<string, byte[]>(report.Histograms.Count, StringComparer.Ordinal);
        foreach (var histogram in report.Histograms)
        {
            if (histogram.Bins.Count > 0)
            {
                plots[histogram.Feature] = ReportPlots.Histogram(histogram);
            }
        }

        return plots;
    }

    public static string Html(MonitoringReport report)
    {
        var text = new StringWriter();
        ReportHtml.Write(text, report, DrawPlots(report));
        return text.ToString();
    }

    /// <summary>
    /// Writes the page to <paramref name="path"/> and its plots to <c>PATH_plots/</c>, each file complete or not at all
    /// (written beside and moved into place), and returns the plot files written.
    /// </summary>
    public static async Task<IReadOnlyList<string>> WriteFileAsync(MonitoringReport report, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        var plots = DrawPlots(report);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var plotDirectory = Path.Combine(Path.GetDirectoryName(full)!, Path.GetFileNameWithoutExtension(full) + "_plots");
        var written = new List<string>(plots.Count);
        if (plots.Count > 0)
        {
            Directory.CreateDirectory(plotDirectory);
            foreach (var (feature, png) in plots)
            {
                var file = Path.Combine(plotDirectory, FileName(feature) + ".png");
                await WriteAtomicallyAsync(file, png, cancellationToken);
                written.Add(file);
            }
        }

        var page = new StringWriter();
        ReportHtml.Write(page, report, plots);
        await WriteAtomicallyAsync(full, new UTF8Encoding(false).GetBytes(page.ToString()), cancellationToken);
        return written;
    }

    private static async Task WriteAtomicallyAsync(string path, byte[] bytes, CancellationToken cancellationToken)
    {
        var temporary = path + ".tmp";
        await File.WriteAllBytesAsync(temporary, bytes, cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    // A feature name as a file name: anything but letters, digits, '-' and '_' becomes '_'.
    private static string FileName(string feature)
    {
        var chars = feature.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(chars[i]) && chars[i] is not '-' and not '_')
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }
}
