using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Consistency;

namespace Granary.Tests.Quality.Consistency;

/// <summary>
/// The consistency tally agrees with a naive reference on any grid of served and offline values: every value is drawn
/// from a pool where values meant to be equal (1 as int, long and double, a double off by less than the tolerance)
/// share a class, and the reference decides agreement by class alone.
/// </summary>
public sealed class ConsistencyTallyPropertyTests
{
    private static readonly (object? Value, int Class)[] Pool =
    [
        (null, -1),
        (1, 0),
        (1L, 0),
        (1.0, 0),
        (1.0 + 1e-12, 0),
        (1.001, 1),
        ("a", 2),
        ("b", 3),
        (2.5f, 4),
        (2.5, 4),
        (new long[] { 1, 2 }, 5),
        (new long[] { 1, 3 }, 6),
    ];

    private const int Features = 3;

    [Property(MaxTest = 200)]
    public Property Tally_agrees_with_a_naive_reference() =>
        Prop.ForAll(
            Gen.Choose(0, 40).SelectMany(rows => Gen.ArrayOf(Gen.Choose(0, (Pool.Length * Pool.Length * 2) - 1), rows * Features)).ToArbitrary(),
            (int[] cells) =>
            {
                var names = new[] { "f0", "f1", "f2" };
                var tally = new ConsistencyTally(names);
                var rows = cells.Length / Features;
                var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
                var decoded = new (bool Found, int Served, int Offline)[rows, Features];
                for (var r = 0; r < rows; r++)
                {
                    var served = new object?[Features];
                    var found = new bool[Features];
                    var offline = new object?[Features];
                    for (var f = 0; f < Features; f++)
                    {
                        var cell = cells[(r * Features) + f];
                        var (isFound, s, o) = (cell % 2 == 1, cell / 2 % Pool.Length, cell / 2 / Pool.Length);
                        decoded[r, f] = (isFound, s, o);
                        (found[f], served[f], offline[f]) = (isFound, Pool[s].Value, Pool[o].Value);
                    }

                    tally.Add(new Dictionary<string, object?> { ["id"] = (long)r }, start.AddSeconds(r), served, found, offline);
                }

                var report = tally.Build("v", start, start.AddDays(1));
                var overall = new List<double>();
                for (var f = 0; f < Features; f++)
                {
                    var (matches, mismatches, missing, extra) = (0, 0, 0, 0);
                    var exampleRows = new List<long>();
                    for (var r = 0; r < rows; r++)
                    {
                        var (isFound, s, o) = decoded[r, f];
                        var servedClass = isFound ? Pool[s].Class : -1;
                        var offlineClass = Pool[o].Class;
                        var disagrees = true;
                        if (servedClass < 0 && offlineClass < 0)
                        {
                            disagrees = false;
                        }
                        else if (servedClass < 0)
                        {
                            missing++;
                        }
                        else if (offlineClass < 0)
                        {
                            extra++;
                        }
                        else if (servedClass == offlineClass)
                        {
                            matches++;
                            disagrees = false;
                        }
                        else
                        {
                            mismatches++;
                        }

                        if (disagrees && exampleRows.Count < 5)
                        {
                            exampleRows.Add(r);
                        }
                    }

                    var compared = matches + mismatches + missing + extra;
                    var feature = report.Features[f];
                    Assert.Equal(names[f], feature.Name);
                    Assert.Equal(compared, feature.Compared);
                    Assert.Equal(matches, feature.Matches);
                    Assert.Equal(mismatches, feature.Mismatches);
                    Assert.Equal(missing, feature.Missing);
                    Assert.Equal(extra, feature.Extra);
                    Assert.Equal(exampleRows, feature.Examples.Select(e => (long)e.Entity["id"]!));
                    if (compared == 0)
                    {
                        Assert.Null(feature.Consistency);
                    }
                    else
                    {
                        Assert.Equal((double)matches / compared, feature.Consistency!.Value, 12);
                        Assert.Equal(1.0, feature.Consistency.Value + feature.MismatchRate!.Value + feature.MissingRate!.Value + feature.ExtraRate!.Value, 12);
                        overall.Add((double)matches / compared);
                    }
                }

                Assert.Equal(rows, report.Rows);
                if (overall.Count == 0)
                {
                    Assert.Null(report.Consistency);
                }
                else
                {
                    Assert.Equal(overall.Average(), report.Consistency!.Value, 12);
                }
            });
}
