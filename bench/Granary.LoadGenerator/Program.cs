using System.Globalization;
using Granary.LoadGenerator;

// Modes (bench/Granary.Benchmarks/Server/run-load.sh runs them all; see docs/BENCHMARKS.md, "Feature server"):
//   prepare --repo DIR --store embedded|redis [--redis HOST:PORT] [--entities N]   write, apply and materialize
//   serve --repo DIR                          Granary's GranaryServer on free ports; prints "HTTP url" and "GRPC url"
//   probe --repo DIR                          the same services and routes, plus /probe/* diagnostic endpoints
//   trivial --body FILE                       a bare Kestrel app answering POST /get-online-features with FILE's bytes
//   body --entities K --features F --ids N    prints one request body (for curl)
//   http --url URL --rate R ...               open-loop HTTP load at R requests/s (0: closed loop, as fast as possible)
//   httpclient --url URL --rate R ...         the same through HttpClient (heavier: more of the 2 cores for the client)
//   grpc --url URL --rate R ...               the same over gRPC
//   prepare-push --repo DIR                   the push benchmark's repository (one view over a push source, embedded)
//   push --url URL [--acks FILE] ...          single-row POST /push, closed loop, one connection per client (PushLoad.cs)
//   verify-push --repo DIR --acks FILE        every acknowledged push read back from the store (after the server is gone)
//   push-refs                                 prints the feature references the push benchmark's reads ask for
var options = Options.Parse(args.Skip(1));
var mode = args.Length > 0 ? args[0] : "help";
switch (mode)
{
    case "prepare":
        await Prepare.RunAsync(options);
        return 0;
    case "serve":
        await Hosts.ServeGranaryAsync(options);
        return 0;
    case "probe":
        await Hosts.ServeProbeAsync(options);
        return 0;
    case "trivial":
        await Hosts.ServeTrivialAsync(options);
        return 0;
    case "body":
        Console.Write(Requests.JsonBodies(options.Int("entities", 1), options.Int("features", 10), options.Int("ids", 100_000), 1)[0]);
        return 0;
    case "prepare-push":
        await PushRepository.PrepareAsync(options);
        return 0;
    case "push":
        var pushed = await PushLoad.RunAsync(options);
        Console.WriteLine(pushed);
        if (options.String("append") is { } pushFile)
        {
            await File.AppendAllTextAsync(pushFile, pushed + Environment.NewLine);
        }

        return 0;
    case "verify-push":
        return await PushLoad.VerifyAsync(options);
    case "push-refs":
        Console.Write(PushRepository.FeatureRefs);
        return 0;
    case "http":
    case "httpclient":
    case "grpc":
        var result = await OpenLoop.RunAsync(mode, options);
        Console.WriteLine(result);
        if (options.String("append") is { } file)
        {
            await File.AppendAllTextAsync(file, result + Environment.NewLine);
        }

        return 0;
    default:
        Console.Error.WriteLine("usage: Granary.LoadGenerator prepare|serve|probe|trivial|body|http|httpclient|grpc|prepare-push|push|verify-push|push-refs [--option value ...] (see Program.cs)");
        return 2;
}

namespace Granary.LoadGenerator
{
    /// <summary><c>--name value</c> pairs.</summary>
    internal sealed class Options
    {
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

        public static Options Parse(IEnumerable<string> args)
        {
            var options = new Options();
            string? name = null;
            foreach (var arg in args)
            {
                if (arg.StartsWith("--", StringComparison.Ordinal))
                {
                    if (name is not null)
                    {
                        options._values[name] = "true";
                    }

                    name = arg[2..];
                }
                else if (name is not null)
                {
                    options._values[name] = arg;
                    name = null;
                }
            }

            if (name is not null)
            {
                options._values[name] = "true";
            }

            return options;
        }

        public string? String(string name) => _values.GetValueOrDefault(name);

        public string Required(string name) => String(name) ?? throw new ArgumentException($"--{name} is required.");

        public int Int(string name, int fallback) => String(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

        public double Double(string name, double fallback) => String(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
    }
}
