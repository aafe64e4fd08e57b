using Granary.OnlineServing;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Governance.Serving;

/// <summary>The warning that a deprecated feature was served: once an hour per caller and feature, by the store's clock.</summary>
public sealed class DeprecationWarningTests
{
    private const int ServedDeprecated = 7201;

    [Fact]
    public void A_caller_is_warned_once_an_hour_per_deprecated_feature()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var log = new CapturedLog();
        var warnings = new DeprecationWarnings(time, log);

        warnings.Served(["ad_stats:impressions"], "10.0.0.1");
        time.Advance(TimeSpan.FromMinutes(59));
        warnings.Served(["ad_stats:impressions"], "10.0.0.1");
        var withinHour = log.WithId(ServedDeprecated).Length;
        time.Advance(TimeSpan.FromMinutes(1));
        warnings.Served(["ad_stats:impressions"], "10.0.0.1");

        Assert.Equal(1, withinHour);
        var entries = log.WithId(ServedDeprecated);
        Assert.Equal(2, entries.Length);
        Assert.All(entries, e => Assert.Equal(LogLevel.Warning, e.Level));
        Assert.Contains("ad_stats:impressions", entries[0].Message, StringComparison.Ordinal);
        Assert.Contains("10.0.0.1", entries[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_caller_and_each_feature_is_warned_on_its_own()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var log = new CapturedLog();
        var warnings = new DeprecationWarnings(time, log);

        warnings.Served(["v:a"], "10.0.0.1");
        warnings.Served(["v:a"], "10.0.0.2");
        warnings.Served(["v:a", "v:b"], "10.0.0.1");
        warnings.Served(["v:a"], null);

        var messages = log.WithId(ServedDeprecated).Select(e => e.Message).ToList();
        Assert.Equal(4, messages.Count);
        Assert.Single(messages, m => m.Contains("v:b", StringComparison.Ordinal));
        Assert.Single(messages, m => m.Contains(DeprecationWarnings.LocalCaller, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Concurrent_requests_after_the_hour_warn_exactly_once()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var log = new CapturedLog();
        var warnings = new DeprecationWarnings(time, log);
        warnings.Served(["v:a"], "c");
        time.Advance(TimeSpan.FromHours(2));

        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                warnings.Served(["v:a"], "c");
            }
        })));

        Assert.Equal(2, log.WithId(ServedDeprecated).Length);
    }
}
