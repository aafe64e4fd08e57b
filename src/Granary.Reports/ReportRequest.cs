namespace Granary.Reports;

/// <summary>
/// What a monitoring report of one feature view covers. Every period is optional: the current period defaults to the
/// <see cref="MonitoringReportBuilder.DefaultCurrentDays"/> days before the view's newest recorded event (before now
/// when none is recorded), the baseline to the <see cref="MonitoringReportBuilder.DefaultBaselineDays"/> days before
/// the current period. At most one of a baseline period, <see cref="BaselineProfile"/> and
/// <see cref="BaselineDataset"/> is given.
/// </summary>
internal sealed record ReportRequest
{
    public required string View { get; init; }

    public DateTimeOffset? CurrentStart { get; init; }

    public DateTimeOffset? CurrentEnd { get; init; }

    public DateTimeOffset? BaselineStart { get; init; }

    public DateTimeOffset? BaselineEnd { get; init; }

    public string? BaselineProfile { get; init; }

    public string? BaselineDataset { get; init; }
}
