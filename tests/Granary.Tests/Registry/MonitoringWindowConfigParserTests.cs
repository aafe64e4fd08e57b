using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Registry.Configuration;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Registry;

/// <summary>The monitor's periods in <c>granary.yaml</c>: <c>monitoring: {window, drift_baseline_window}</c>.</summary>
public sealed class MonitoringWindowConfigParserTests
{
    private static string? Env(string name) => name == "MONITOR_WINDOW" ? "6h" : null;

    [Fact]
    public void Without_them_the_monitor_looks_at_the_last_day_against_the_seven_before()
    {
        using var repo = new TempRepository().Write("granary.yaml", "project: p\nmonitoring: {schedule: 15m}\n");

        var monitoring = ConfigParser.Load(repo.Root, Env).Monitoring;

        Assert.Equal((TimeSpan.FromDays(1), TimeSpan.FromDays(7)), (monitoring.Window, monitoring.DriftBaselineWindow));
    }

    [Fact]
    public void The_windows_are_read_as_durations_with_environment_variables()
    {
        using var repo = new TempRepository().Write("granary.yaml", """
            project: p
            monitoring:
              window: ${MONITOR_WINDOW}
              drift_baseline_window: 14d
            """);

        var monitoring = ConfigParser.Load(repo.Root, Env).Monitoring;

        Assert.Equal((TimeSpan.FromHours(6), TimeSpan.FromDays(14)), (monitoring.Window, monitoring.DriftBaselineWindow));
    }

    [Fact]
    public void Each_window_mistake_names_its_line()
    {
        using var repo = new TempRepository().Write("granary.yaml", """
            project: p
            monitoring:
              window: a day
              drift_baseline_window: 0
              drift_baseline_windw: 7d
            """);

        var e = Assert.Throws<DefinitionException>(() => ConfigParser.Load(repo.Root, Env));

        var lines = e.Diagnostics.Select(d => (d.Location!.Value.Line, d.Message)).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Contains(lines, l => l.Line == 3 && l.Message.Contains("Invalid window 'a day'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Line == 4 && l.Message.Contains("Invalid drift_baseline_window '0'", StringComparison.Ordinal) && l.Message.Contains("positive duration", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Line == 5 && l.Message.Contains("did you mean 'drift_baseline_window'", StringComparison.Ordinal));
        Assert.All(e.Diagnostics, d => Assert.Equal(ErrorCodes.InvalidConfig, d.Code));
    }
}
