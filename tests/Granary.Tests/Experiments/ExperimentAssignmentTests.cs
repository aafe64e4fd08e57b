using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Granary.Core.Model;

namespace Granary.Tests.Experiments;

/// <summary>
/// The documented assignment (first 8 bytes of SHA-256 of <c>experiment:unit_id</c>, big-endian, over 2^64, against
/// cumulative shares): held to an independent implementation in Python's hashlib, and to the declared shares.
/// </summary>
public sealed class ExperimentAssignmentTests
{
    private static Experiment ThreeWay(string name = "ranker_test") => new()
    {
        Name = name,
        FeatureView = "user_stats",
        Variants =
        [
            new ExperimentVariant("control", FeatureVersionSelector.NewestOfMajor(1), 0.5),
            new ExperimentVariant("treatment", FeatureVersionSelector.NewestOfMajor(2), 0.3),
            new ExperimentVariant("holdout", FeatureVersionSelector.Exactly(1, 0, 0), 0.2),
        ],
    };

    [Fact]
    public async Task Assignment_matches_an_independent_python_implementation_of_the_documented_hash()
    {
        var experiment = ThreeWay();
        var units = new List<string> { "", "0", "user-42", "ü-straße", "用户7", "a:b:c" };
        for (var i = 0; i < 300; i++)
        {
            units.Add($"u{i * 7919}");
        }

        var script = """
            import hashlib, json, sys
            data = json.loads(sys.stdin.buffer.read().decode("utf-8"))
            out = []
            for unit in data["units"]:
                digest = hashlib.sha256((data["experiment"] + ":" + unit).encode("utf-8")).digest()
                bucket = int.from_bytes(digest[:8], "big")
                position = bucket / 2**64
                cumulative, chosen = 0.0, data["variants"][-1][0]
                for name, share in data["variants"]:
                    cumulative += share
                    if position < cumulative:
                        chosen = name
                        break
                out.append([str(bucket), chosen])
            json.dump(out, sys.stdout)
            """;
        var input = JsonSerializer.Serialize(new
        {
            experiment = experiment.Name,
            units,
            variants = experiment.Variants.Select(v => new object[] { v.Name, v.Share }).ToArray(),
        });

        var python = await RunPythonAsync(script, input);

        var expected = JsonSerializer.Deserialize<string[][]>(python)!;
        Assert.Equal(units.Count, expected.Length);
        for (var i = 0; i < units.Count; i++)
        {
            Assert.Equal(ulong.Parse(expected[i][0], CultureInfo.InvariantCulture), ExperimentAssignment.Bucket(experiment.Name, units[i]));
            Assert.Equal(expected[i][1], ExperimentAssignment.Assign(experiment, units[i]).Name);
        }

        Assert.Equal(3, expected.Select(e => e[1]).Distinct().Count());
    }

    [Fact]
    public void Each_variants_share_over_100000_units_is_within_one_percentage_point()
    {
        var experiment = ThreeWay("share_check");
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        const int Units = 100_000;
        for (var i = 0; i < Units; i++)
        {
            var name = ExperimentAssignment.Assign(experiment, i.ToString(CultureInfo.InvariantCulture)).Name;
            counts[name] = counts.GetValueOrDefault(name) + 1;
        }

        foreach (var variant in experiment.Variants)
        {
            var share = counts.GetValueOrDefault(variant.Name) / (double)Units;
            Assert.InRange(share, variant.Share - 0.01, variant.Share + 0.01);
        }
    }

    [Fact]
    public void The_position_is_the_bucket_over_two_to_the_64_and_the_same_unit_in_another_experiment_moves()
    {
        var bucket = ExperimentAssignment.Bucket("exp_a", "unit-1");
        var position = ExperimentAssignment.Position("exp_a", "unit-1");

        Assert.Equal((double)bucket / Math.Pow(2, 64), position);
        Assert.InRange(position, 0.0, 1.0);
        Assert.NotEqual(bucket, ExperimentAssignment.Bucket("exp_b", "unit-1"));
        Assert.NotEqual(bucket, ExperimentAssignment.Bucket("exp_a", "unit-2"));
    }

    private static async Task<string> RunPythonAsync(string script, string input)
    {
        var start = new ProcessStartInfo("/usr/bin/python3", ["-c", script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await error);
        return await output;
    }
}
