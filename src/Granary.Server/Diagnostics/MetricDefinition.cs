using System.Diagnostics.Metrics;

namespace Granary.Server.Diagnostics;

/// <summary>
/// One series, defined once: its OpenTelemetry name, unit, description, tag names and (for a histogram) bucket
/// boundaries. The meter instrument and the Prometheus series are both made from it, so the two can never describe
/// the same measurement differently.
/// </summary>
/// <remarks>
/// The Prometheus name and label names are derived as OpenTelemetry's Prometheus exporter derives them (dots to
/// underscores, the unit as a suffix, <c>_total</c> for counters): <c>granary.server.request.duration</c> in seconds is
/// <c>granary_server_request_duration_seconds</c> whether <c>/metrics</c> serves it or an OpenTelemetry pipeline
/// exports the meter to Prometheus.
/// </remarks>
internal sealed class MetricDefinition
{
    private MetricDefinition(string name, bool histogram, string unit, string description, string[] tags, double[]? buckets, bool gauge = false)
    {
        Name = name;
        IsHistogram = histogram;
        IsGauge = gauge;
        Unit = unit;
        Description = description;
        Tags = tags;
        Buckets = buckets;
        PrometheusName = name.Replace('.', '_') + UnitSuffix(unit) + (histogram || gauge ? "" : "_total");
        PrometheusLabelNames = [.. tags.Select(t => t.Replace('.', '_'))];
    }

    /// <summary>The instrument's name on the <c>Granary</c> meter, as OpenTelemetry's conventions write it.</summary>
    public string Name { get; }

    /// <summary>A histogram of values (durations); otherwise a monotonic counter.</summary>
    public bool IsHistogram { get; }

    /// <summary>A gauge: a value observed now (a lag), neither summed nor bucketed.</summary>
    public bool IsGauge { get; }

    /// <summary>UCUM unit: <c>s</c>, or an annotation such as <c>{request}</c> for a count.</summary>
    public string Unit { get; }

    /// <summary>The meter instrument's description and the Prometheus series' help text.</summary>
    public string Description { get; }

    /// <summary>Tag names on the meter side, in the order the Prometheus labels take.</summary>
    public IReadOnlyList<string> Tags { get; }

    /// <summary>A histogram's bucket upper bounds: the Prometheus buckets and the meter's advice to exporters.</summary>
    public IReadOnlyList<double>? Buckets { get; }

    /// <summary>The series name <c>/metrics</c> serves.</summary>
    public string PrometheusName { get; }

    /// <summary>The Prometheus label names, the tags with underscores.</summary>
    public IReadOnlyList<string> PrometheusLabelNames { get; }

    public static MetricDefinition Counter(string name, string unit, string description, params string[] tags) =>
        new(name, histogram: false, unit, description, tags, buckets: null);

    public static MetricDefinition Histogram(string name, string unit, string description, double[] buckets, params string[] tags) =>
        new(name, histogram: true, unit, description, tags, buckets);

    public static MetricDefinition Gauge(string name, string unit, string description, params string[] tags) =>
        new(name, histogram: false, unit, description, tags, buckets: null, gauge: true);

    /// <summary>The meter's histogram, advised to use the same buckets as the Prometheus series.</summary>
    public Histogram<double> CreateHistogram(Meter meter) =>
        meter.CreateHistogram(Name, Unit, Description, tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });

    public Counter<long> CreateCounter(Meter meter) => meter.CreateCounter<long>(Name, Unit, Description);

    public ObservableCounter<long> CreateObservableCounter(Meter meter, Func<IEnumerable<Measurement<long>>> observe) =>
        meter.CreateObservableCounter(Name, observe, Unit, Description);

    public ObservableGauge<long> CreateObservableGauge(Meter meter, Func<IEnumerable<Measurement<long>>> observe) =>
        meter.CreateObservableGauge(Name, observe, Unit, Description);

    public ObservableGauge<double> CreateObservableGauge(Meter meter, Func<IEnumerable<Measurement<double>>> observe) =>
        meter.CreateObservableGauge(Name, observe, Unit, Description);

    public Prometheus.Gauge CreateGauge(Prometheus.IMetricFactory factory) =>
        factory.CreateGauge(PrometheusName, Description, new Prometheus.GaugeConfiguration { LabelNames = [.. PrometheusLabelNames] });

    public Prometheus.Histogram CreateHistogram(Prometheus.IMetricFactory factory) => factory.CreateHistogram(
        PrometheusName, Description, new Prometheus.HistogramConfiguration { LabelNames = [.. PrometheusLabelNames], Buckets = [.. Buckets!] });

    public Prometheus.Counter CreateCounter(Prometheus.IMetricFactory factory) =>
        factory.CreateCounter(PrometheusName, Description, new Prometheus.CounterConfiguration { LabelNames = [.. PrometheusLabelNames] });

    // OpenTelemetry's unit-to-suffix rule for the units Granary uses; annotations ({request}) add nothing.
    private static string UnitSuffix(string unit) => unit switch
    {
        "s" => "_seconds",
        "By" => "_bytes",
        _ when unit.StartsWith('{') && unit.EndsWith('}') => "",
        _ => throw new ArgumentException($"No Prometheus suffix is defined for the unit '{unit}'.", nameof(unit)),
    };
}
