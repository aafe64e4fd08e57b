using System.Net;
using Granary.Core.Model;
using Granary.Drift;
using Granary.Quality.Drift;
using Granary.Quality.Profiles;
using Granary.Quality.Rules;
using Granary.Reports;

namespace Granary.Tests.Quality.Reports;

/// <summary>The page writer: names and examples from the data are text on the page, never markup.</summary>
public sealed class ReportHtmlTests
{
    private const string HostileName = "x\"><img src=y onerror=alert(1)>";
    private const string HostileExample = "</code><script>steal()</script>";

    [Fact]
    public void A_hostile_feature_name_and_example_are_escaped_everywhere()
    {
        var at = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
        var profile = new ViewProfile
        {
            Id = "p",
            View = "v<b>",
            Start = at,
            End = at.AddDays(1),
            CreatedAt = at,
            Engine = "duckdb",
            Rows = 10,
            Features = [new FeatureProfile { Name = HostileName, Type = "string", Kind = ProfileKind.Categorical, Count = 10, NullCount = 0, Distinct = 2, DistinctApproximate = false, TopK = [new CategoryCount(HostileExample, 6)] }],
        };
        var drift = new DriftReport("v<b>", "a <i>baseline</i>", [new FeatureDrift(HostileName) { IsCategorical = true, Severity = DriftSeverity.High, Recommendations = ["Look at <this>"] }]);
        var validation = new ValidationReport { View = "v<b>", Rules = [new RuleOutcome(HostileName, "enum", ValidationSeverity.Error, 4, 10, HostileExample, Passed: false)] };
        var report = new MonitoringReport("v<b>", at, at, at.AddDays(1), null, profile, drift, validation,
            [new FeatureHistogram(HostileName, [HostileExample, "b"], [0.5, 0.5], [0.6, 0.4])]);
        var html = new StringWriter();

        ReportHtml.Write(html, report, ReportWriter.DrawPlots(report));

        var page = html.ToString();
        Assert.DoesNotContain(HostileName, page, StringComparison.Ordinal);
        Assert.DoesNotContain(HostileExample, page, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<i>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<this>", page, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode(HostileName), page, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode(HostileExample), page, StringComparison.Ordinal);
        // The one script on the page is the page's own decode check.
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(page, "<script>"));
        Assert.Contains("id=\"feature-x___img_src_y_onerror_alert_1__\"", page, StringComparison.Ordinal);
    }
}
