using System.Globalization;
using System.Net;
using Granary.Core.Model;
using Granary.Quality.Drift;
using Granary.Quality.Profiles;
using Granary.Quality.Rules;

namespace Granary.Reports;

/// <summary>
/// Writes a <see cref="MonitoringReport"/> as one self-contained HTML page: styles inline, each plot a
/// <c>data:image/png;base64</c> image, nothing fetched from elsewhere, so the file opens offline. Every value from
/// the data or the definitions (names, examples, recommendations) is HTML-escaped.
/// </summary>
internal static class ReportHtml
{
    // Marks each plot, once the page has loaded, with the size its image decoded to: what a browser test reads back.
    private const string DecodeCheckScript = """
        <script>
        window.addEventListener('load', function () {
          var images = document.querySelectorAll('img.plot');
          var sizes = [];
          images.forEach(function (img) {
            img.setAttribute('data-decoded', img.complete && img.naturalWidth > 0 ? img.naturalWidth + 'x' + img.naturalHeight : '0x0');
            sizes.push(img.getAttribute('data-decoded'));
          });
          document.body.setAttribute('data-plots-decoded', sizes.join(' '));
        });
        </script>
        """;

    private const string Style = """
        <style>
        body { font-family: 'DejaVu Sans', sans-serif; margin: 2em auto; max-width: 1000px; color: #222; }
        table { border-collapse: collapse; margin: 0.5em 0 1em; }
        th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; font-size: 0.9em; }
        th { background: #f4f4f4; }
        .severity-none, .status-fresh { color: #1e8449; }
        .severity-low { color: #b7950b; }
        .severity-medium, .status-stale { color: #ca6f1e; }
        .severity-high, .status-very_stale, .failed { color: #c0392b; font-weight: bold; }
        section.feature { border-top: 1px solid #ddd; margin-top: 1.5em; }
        img.plot { display: block; max-width: 100%; }
        </style>
        """;

    /// <summary>Writes the page; <paramref name="plots"/> holds each histogram's PNG by feature name.</summary>
    public static void Write(TextWriter output, MonitoringReport report, IReadOnlyDictionary<string, byte[]> plots)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(plots);
        output.WriteLine("<!DOCTYPE html>");
        output.WriteLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        output.WriteLine($"<title>Monitoring report: {E(report.View)}</title>");
        output.WriteLine(Style);
        output.WriteLine("</head><body>");
        WriteHeader(output, report);
        WriteDriftSummary(output, report);
        WriteValidation(output, report.Validation);
        foreach (var drift in report.Drift.Features)
        {
            WriteFeature(output, report, drift, plots);
        }

        output.WriteLine(DecodeCheckScript);
        output.WriteLine("</body></html>");
    }

    private static void WriteHeader(TextWriter output, MonitoringReport report)
    {
        output.WriteLine($"<h1>Monitoring report: {E(report.View)}</h1>");
        output.WriteLine("<section id=\"freshness\"><h2>Freshness</h2>");
        if (report.Freshness is { } f)
        {
            var age = f.Age is { } a ? Age(a) : "no event recorded";
            var newest = f.NewestEvent is { } n ? MonitoringReportBuilder.Instant(n) : "-";
            output.WriteLine($"<p>Status <span class=\"status-{E(f.StatusKey)}\">{E(f.StatusKey)}</span>, newest event {E(newest)}, age {E(age)} (expected: {E(f.Expectation.Expected)}).</p>");
        }
        else
        {
            output.WriteLine("<p>No freshness recorded for this view.</p>");
        }

        output.WriteLine("</section>");
        output.WriteLine($"<p>Current period {E(MonitoringReportBuilder.Instant(report.CurrentStart))} to {E(MonitoringReportBuilder.Instant(report.CurrentEnd))} ({report.Profile.Rows.ToString("N0", CultureInfo.InvariantCulture)} rows), baseline {E(report.Drift.Baseline)}. Generated {E(MonitoringReportBuilder.Instant(report.GeneratedAt))} by the {E(report.Profile.Engine)} engine.</p>");
    }

    private static void WriteDriftSummary(TextWriter output, MonitoringReport report)
    {
        output.WriteLine("<section id=\"drift\"><h2>Drift</h2>");
        output.WriteLine("<table><tr><th>Feature</th><th>Severity</th><th>KS</th><th>KS p</th><th>Chi² p</th><th>PSI</th><th>JS</th><th>Mean shift</th><th>Std shift</th></tr>");
        foreach (var f in report.Drift.Features)
        {
            var severity = Severity(f.Severity);
            output.WriteLine($"<tr><td><a href=\"#feature-{Anchor(f.Name)}\">{E(f.Name)}</a></td><td class=\"severity-{severity}\">{severity}</td><td>{N(f.KsStatistic)}</td><td>{N(f.KsPValue)}</td><td>{N(f.Chi2PValue)}</td><td>{N(f.Psi)}</td><td>{N(f.JsDistance)}</td><td>{N(f.MeanShift)}</td><td>{N(f.StdShift)}</td></tr>");
        }

        output.WriteLine("</table></section>");
    }

    private static void WriteValidation(TextWriter output, ValidationReport validation)
    {
        output.WriteLine("<section id=\"validation\"><h2>Validation</h2>");
        var failing = validation.Rules.Where(r => !r.Passed).ToList();
        if (validation.Rules.Count == 0)
        {
            output.WriteLine("<p>The view declares no validation rules.</p>");
        }
        else if (failing.Count == 0)
        {
            output.WriteLine($"<p>All {validation.Rules.Count} rules hold over the current period.</p>");
        }
        else
        {
            output.WriteLine($"<p class=\"failed\">{failing.Count} of {validation.Rules.Count} rules fail over the current period.</p>");
            output.WriteLine("<table><tr><th>Feature</th><th>Rule</th><th>Severity</th><th>Failed</th><th>Total</th><th>Example</th></tr>");
            foreach (var rule in failing)
            {
                output.WriteLine($"<tr class=\"rule-failed\"><td>{E(rule.Feature)}</td><td>{E(rule.Rule)}</td><td>{(rule.Severity == ValidationSeverity.Error ? "error" : "warn")}</td><td>{rule.Failed.ToString(CultureInfo.InvariantCulture)}</td><td>{rule.Total.ToString(CultureInfo.InvariantCulture)}</td><td><code>{E(rule.Example ?? "")}</code></td></tr>");
            }

            output.WriteLine("</table>");
        }

        output.WriteLine("</section>");
    }

    private static void WriteFeature(TextWriter output, MonitoringReport report, FeatureDrift drift, IReadOnlyDictionary<string, byte[]> plots)
    {
        var severity = Severity(drift.Severity);
        output.WriteLine($"<section class=\"feature\" id=\"feature-{Anchor(drift.Name)}\"><h2>{E(drift.Name)} <span class=\"severity-{severity}\">{severity}</span></h2>");
        if (plots.TryGetValue(drift.Name, out var png))
        {
            output.Write($"<img class=\"plot\" alt=\"{E($"Histogram of {drift.Name}: baseline against current")}\" width=\"{ReportPlots.Width}\" height=\"{ReportPlots.Height}\" src=\"data:image/png;base64,");
            output.Write(Convert.ToBase64String(png));
            output.WriteLine("\">");
        }

        if (report.Profile.Features.FirstOrDefault(p => p.Name == drift.Name) is { } profile)
        {
            WriteProfile(output, profile);
        }

        output.WriteLine($"<p>Baseline {drift.BaselineCount.ToString("N0", CultureInfo.InvariantCulture)} values, current {drift.CurrentCount.ToString("N0", CultureInfo.InvariantCulture)}.</p>");
        if (drift.Recommendations.Count > 0)
        {
            output.WriteLine("<ul class=\"recommendations\">");
            foreach (var recommendation in drift.Recommendations)
            {
                output.WriteLine($"<li>{E(recommendation)}</li>");
            }

            output.WriteLine("</ul>");
        }

        output.WriteLine("</section>");
    }

    private static void WriteProfile(TextWriter output, FeatureProfile p)
    {
        output.WriteLine("<table class=\"profile\"><tr><th>Type</th><th>Count</th><th>Nulls</th><th>Distinct</th><th>Mean</th><th>Stddev</th><th>Min</th><th>p5</th><th>p50</th><th>p95</th><th>Max</th></tr>");
        var distinct = (p.DistinctApproximate ? "≈" : "") + p.Distinct.ToString(CultureInfo.InvariantCulture);
        output.WriteLine($"<tr><td>{E(p.Type)}</td><td>{p.Count.ToString(CultureInfo.InvariantCulture)}</td><td>{p.NullCount.ToString(CultureInfo.InvariantCulture)}</td><td>{distinct}</td><td>{N(p.Mean)}</td><td>{N(p.StdDev)}</td><td>{N(p.Min)}</td><td>{N(p.Quantiles?.P5)}</td><td>{N(p.Quantiles?.P50)}</td><td>{N(p.Quantiles?.P95)}</td><td>{N(p.Max)}</td></tr>");
        output.WriteLine("</table>");
        if (p.TopK is { Count: > 0 } top)
        {
            output.WriteLine("<p>Most frequent: " + string.Join(", ", top.Take(5).Select(c => $"<code>{E(c.Value)}</code> ({c.Count.ToString(CultureInfo.InvariantCulture)})")) + "</p>");
        }
    }

    internal static string Severity(DriftSeverity severity) => severity switch
    {
        DriftSeverity.Low => "low",
        DriftSeverity.Medium => "medium",
        DriftSeverity.High => "high",
        _ => "none",
    };

    private static string E(string text) => WebUtility.HtmlEncode(text);

    // An id made only of letters, digits, '-' and '_', so a hostile name cannot leave the attribute.
    private static string Anchor(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(chars[i]) && chars[i] is not '-' and not '_')
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }

    private static string Age(TimeSpan age) => age.TotalHours >= 48
        ? $"{age.TotalDays.ToString("0.#", CultureInfo.InvariantCulture)} days"
        : $"{age.TotalHours.ToString("0.#", CultureInfo.InvariantCulture)} hours";

    private static string N(double? value) => value switch
    {
        null => "-",
        double.PositiveInfinity => "inf",
        { } v when v != 0 && Math.Abs(v) < 0.0001 => v.ToString("0.0e+0", CultureInfo.InvariantCulture),
        { } v => v.ToString("0.####", CultureInfo.InvariantCulture),
    };
}
