using Granary.Consistency;

namespace Granary.Tests.Quality.Consistency;

public sealed class ValueAgreementTests
{
    [Theory]
    [InlineData(1e15, 1e15 + 1, true)]
    [InlineData(1.0, 1.0 + 1e-8, false)]
    [InlineData(0.0, 1e-300, false)]
    [InlineData(-3.25, -3.25, true)]
    [InlineData(double.NaN, double.NaN, true)]
    [InlineData(double.NaN, 0.0, false)]
    [InlineData(double.PositiveInfinity, double.PositiveInfinity, true)]
    public void Floats_agree_within_a_relative_tolerance(double served, double offline, bool agree) =>
        Assert.Equal(agree, ValueAgreement.AreEqual(served, offline));

    [Fact]
    public void Numbers_of_different_widths_compare_by_value()
    {
        Assert.True(ValueAgreement.AreEqual(7, 7L));
        Assert.True(ValueAgreement.AreEqual(2.5f, 2.5));
        Assert.False(ValueAgreement.AreEqual(7, 8L));
        Assert.False(ValueAgreement.AreEqual(long.MaxValue, long.MaxValue - 1));
        Assert.False(ValueAgreement.AreEqual("7", 7L));
    }

    [Fact]
    public void Instants_compare_across_offsets_and_kinds()
    {
        var instant = new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.True(ValueAgreement.AreEqual(instant, instant.ToOffset(TimeSpan.FromHours(2))));
        Assert.True(ValueAgreement.AreEqual(instant, instant.UtcDateTime));
        Assert.False(ValueAgreement.AreEqual(instant, instant.AddTicks(10).UtcDateTime));
    }

    [Fact]
    public void Lists_and_bytes_compare_element_by_element()
    {
        Assert.True(ValueAgreement.AreEqual(new long[] { 1, 2 }, new[] { 1.0, 2.0 }));
        Assert.False(ValueAgreement.AreEqual(new long[] { 1, 2 }, new long[] { 1, 2, 3 }));
        Assert.False(ValueAgreement.AreEqual(new object?[] { "a", null }, new object?[] { "a", "b" }));
        Assert.True(ValueAgreement.AreEqual(new object?[] { "a", null }, new object?[] { "a", null }));
        Assert.True(ValueAgreement.AreEqual(new byte[] { 1, 2 }, new byte[] { 1, 2 }));
        Assert.False(ValueAgreement.AreEqual(new byte[] { 1, 2 }, new byte[] { 1, 3 }));
    }

    [Theory]
    [InlineData(true, 1L, 1L, "Match")]
    [InlineData(true, 1L, 2L, "Mismatch")]
    [InlineData(false, null, 2L, "Missing")]
    [InlineData(true, null, 2L, "Missing")]
    [InlineData(true, 1L, null, "Extra")]
    [InlineData(false, null, null, "NotCompared")]
    public void Outcome_depends_on_which_side_has_a_value(bool found, object? served, object? offline, string expected) =>
        Assert.Equal(Enum.Parse<ConsistencyOutcome>(expected), ValueAgreement.Compare(found, served, offline));
}
