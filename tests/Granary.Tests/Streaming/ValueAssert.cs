using Granary.Core.Model;
using Granary.Core.Values;

namespace Granary.Tests.Streaming;

/// <summary>Compares a naive expectation (a CLR value or null) with a served value, floats within a relative 1e-9.</summary>
internal static class ValueAssert
{
    public static void Equal(object? expected, FeatureValue actual, string what)
    {
        if (expected is null)
        {
            Assert.True(actual.IsNull, $"{what}: expected null, got {actual.ToObject()}");
            return;
        }

        Assert.False(actual.IsNull, $"{what}: expected {expected}, got null");
        switch (expected)
        {
            case double d:
                var a = actual.AsFloat64();
                Assert.True(Math.Abs(d - a) <= 1e-9 * Math.Max(1, Math.Abs(d)), $"{what}: expected {d}, got {a}");
                break;
            case object?[] list:
                var items = (Array)actual.ToObject()!;
                Assert.True(list.Length == items.Length, $"{what}: expected {list.Length} values, got {items.Length}");
                for (var i = 0; i < list.Length; i++)
                {
                    Assert.True(Equals(list[i], items.GetValue(i)), $"{what}[{i}]: expected {list[i]}, got {items.GetValue(i)}");
                }

                break;
            default:
                Assert.True(Equals(expected, actual.ToObject()), $"{what}: expected {expected}, got {actual.ToObject()} ({actual.Type})");
                break;
        }
    }
}
