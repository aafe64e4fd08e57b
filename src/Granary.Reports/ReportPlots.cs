using ScottPlot;

namespace Granary.Reports;

/// <summary>
/// Draws a feature's histogram, baseline beside current over the same bins, as a PNG with ScottPlot. ScottPlot renders
/// with SkiaSharp into memory, so it needs no display; text is set in DejaVu Sans (Debian's fonts-dejavu-core).
/// </summary>
internal static class ReportPlots
{
    public const int Width = 720;

    public const int Height = 360;

    private const string FontName = "DejaVu Sans";

    private static readonly Color BaselineColor = Color.FromHex("#7f8c8d");

    private static readonly Color CurrentColor = Color.FromHex("#e67e22");

    public static byte[] Histogram(FeatureHistogram histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        var plot = new Plot();
        try
        {
            plot.Font.Set(FontName);
            var hasBaseline = histogram.Baseline.Count == histogram.Bins.Count && histogram.Bins.Count > 0;
            var width = hasBaseline ? 0.4 : 0.8;
            var bars = new List<Bar>(histogram.Bins.Count * 2);
            var ticks = new Tick[histogram.Bins.Count];
            for (var i = 0; i < histogram.Bins.Count; i++)
            {
                if (hasBaseline)
                {
                    bars.Add(new Bar { Position = i - (width / 2), Value = histogram.Baseline[i], FillColor = BaselineColor, Size = width, LineWidth = 0 });
                }

                bars.Add(new Bar { Position = hasBaseline ? i + (width / 2) : i, Value = histogram.Current[i], FillColor = CurrentColor, Size = width, LineWidth = 0 });
                ticks[i] = new Tick(i, histogram.Bins[i]);
            }

            plot.Add.Bars(bars);
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
            plot.Axes.Bottom.TickLabelStyle.Rotation = histogram.Bins.Count > 6 ? -35 : 0;
            plot.Axes.Bottom.TickLabelStyle.Alignment = histogram.Bins.Count > 6 ? Alignment.MiddleRight : Alignment.UpperCenter;
            // Room below the axis for the slanted labels, which ScottPlot does not measure when it lays the plot out.
            plot.Axes.Bottom.MinimumSize = histogram.Bins.Count > 6 ? 70 : 30;
            plot.Axes.Margins(bottom: 0);
            plot.YLabel("share of values");
            plot.Title(histogram.Feature);
            if (hasBaseline)
            {
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = "baseline", FillColor = BaselineColor });
            }

            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "current", FillColor = CurrentColor });
            plot.ShowLegend(Edge.Right);
            return plot.GetImageBytes(Width, Height, ImageFormat.Png);
        }
        finally
        {
            plot.Dispose();
        }
    }
}
