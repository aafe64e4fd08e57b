namespace Granary.Registry.Configuration;

/// <summary>
/// The <c>monitoring:</c> section of <c>granary.yaml</c>: how served values are sampled for serving drift and
/// online/offline consistency, how long the sample is kept, how often the monitor evaluates its checks and over
/// which periods.
/// </summary>
public sealed record MonitoringSettings
{
    /// <summary>The settings of a <c>granary.yaml</c> without a <c>monitoring:</c> section.</summary>
    public static MonitoringSettings Default { get; } = new();

    /// <summary>
    /// The fraction of served entity rows whose values are logged (<c>serving_sample_rate</c>), from 0 (nothing is
    /// logged, the default) to 1 (every row).
    /// </summary>
    public double ServingSampleRate { get; init; }

    /// <summary>How long logged served values are kept (<c>serving_log_retention</c>); 30 days by default.</summary>
    public TimeSpan ServingLogRetention { get; init; } = TimeSpan.FromDays(30);

    /// <summary>How often <c>granary monitor run</c> and <c>serve --with-monitoring</c> evaluate their checks (<c>schedule</c>); hourly by default.</summary>
    public TimeSpan Schedule { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The period the monitor's validation, consistency and current drift look at, ending at each run (<c>window</c>);
    /// one day by default.
    /// </summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromDays(1);

    /// <summary>The period just before <see cref="Window"/> that the monitor's drift compares with (<c>drift_baseline_window</c>); seven days by default.</summary>
    public TimeSpan DriftBaselineWindow { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// The webhook of alerts that name none (<c>default_webhook</c>, or the <c>feature_store.monitoring_endpoint</c>
    /// alias); null when there is none, and then every alert needs its own. Kept as written, <c>${VAR}</c> unexpanded,
    /// like an alert's webhook: it is expanded only to send and shown only redacted.
    /// </summary>
    public string? DefaultWebhook { get; init; }
}
