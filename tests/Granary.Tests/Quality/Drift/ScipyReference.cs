using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Granary.Tests.Quality.Drift;

/// <summary>
/// scipy, run live, as the independent reference for the drift statistics: Debian's python3-scipy under
/// /usr/bin/python3 (not whichever python3 is first on PATH). A test that needs it fails when it cannot be imported.
/// </summary>
internal static class ScipyReference
{
    private const string Python = "/usr/bin/python3";

    // Reads a list of requests as JSON on stdin and writes one result per request.
    private const string Script = """
        import json, sys
        import numpy as np
        from scipy import stats
        from scipy.spatial import distance
        out = []
        for r in json.load(sys.stdin):
            op = r["op"]
            if op == "ks":
                res = stats.ks_2samp(r["a"], r["b"], method=r["method"])
                out.append([float(res.statistic), float(res.pvalue)])
            elif op == "kstwo":
                out.append([float(stats.kstwo.sf(r["x"], r["n"]))])
            elif op == "chi2":
                stat, p, dof, _ = stats.chi2_contingency(np.array(r["table"]), correction=False)
                out.append([float(stat), float(p), float(dof)])
            elif op == "chi2gof":
                total = sum(r["observed"])
                res = stats.chisquare(r["observed"], [total * s for s in r["shares"]])
                out.append([float(res.statistic), float(res.pvalue)])
            elif op == "js":
                out.append([float(distance.jensenshannon(r["p"], r["q"], base=2))])
            else:
                raise ValueError(op)
        json.dump(out, sys.stdout)
        """;

    /// <summary>Runs the requests in one scipy process; each answer is the numbers the request asked for.</summary>
    public static double[][] Evaluate(IReadOnlyList<JsonObject> requests)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"{Python} could not be started; install python3-scipy.");
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        process.StandardInput.Write(new JsonArray([.. requests]).ToJsonString());
        process.StandardInput.Close();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"scipy reference failed (exit {process.ExitCode}); is python3-scipy installed for {Python}?\n{errors.Result}");
        }

        return JsonSerializer.Deserialize<double[][]>(output.Result)
            ?? throw new InvalidOperationException("scipy reference wrote no answer.");
    }

    public static JsonObject KolmogorovSmirnov(double[] a, double[] b, string method) =>
        new() { ["op"] = "ks", ["a"] = ToJson(a), ["b"] = ToJson(b), ["method"] = method };

    public static JsonObject KolmogorovTail(int n, double x) => new() { ["op"] = "kstwo", ["n"] = n, ["x"] = x };

    public static JsonObject ChiSquare(long[] baseline, long[] current) =>
        new() { ["op"] = "chi2", ["table"] = new JsonArray(ToJson(baseline), ToJson(current)) };

    public static JsonObject ChiSquareGoodnessOfFit(long[] observed, double[] shares) =>
        new() { ["op"] = "chi2gof", ["observed"] = ToJson(observed), ["shares"] = ToJson(shares) };

    public static JsonObject JensenShannon(long[] p, long[] q) =>
        new() { ["op"] = "js", ["p"] = ToJson(p), ["q"] = ToJson(q) };

    private static JsonArray ToJson(double[] values) => new([.. values.Select(v => JsonValue.Create(v))]);

    private static JsonArray ToJson(long[] values) => new([.. values.Select(v => JsonValue.Create(v))]);
}
