using FsCheck;
using FsCheck.Xunit;
using Granary.Core.Time;

namespace Granary.Tests.Core;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("15m", 900)]
    [InlineData("1h", 3600)]
    [InlineData("7d", 604800)]
    [InlineData("2w", 1209600)]
    [InlineData("1h30m", 5400)]
    [InlineData("0", 0)]
    public void Parses_the_documented_forms(string text, long seconds)
    {
        Assert.True(Durations.TryParse(text, out var d));
        Assert.Equal(seconds, (long)d.TotalSeconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("7")]
    [InlineData("d7")]
    [InlineData("7x")]
    [InlineData("-1h")]
    [InlineData("1.5h")]
    [InlineData("99999999999999999999d")]
    public void Rejects_anything_else(string text) => Assert.False(Durations.TryParse(text, out _));

    [Property]
    public bool Format_round_trips(NonNegativeInt seconds)
    {
        var d = TimeSpan.FromSeconds(seconds.Get);
        return Durations.TryParse(Durations.Format(d), out var back) && back == d;
    }
}
