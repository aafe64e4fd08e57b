using System.Globalization;
using System.Text;
using Granary.Contracts.Grpc.V1;

namespace Granary.LoadGenerator;

/// <summary>
/// The requests sent: K pseudo-random users (seeded, so every run sends the same ones) out of N, the first F of the
/// view's 50 features. The same shapes as bench/Granary.Benchmarks/Server/post.lua sends through wrk.
/// </summary>
internal static class Requests
{
    public const string View = "stats";

    public static string FeatureList(int features) =>
        string.Join(",", Enumerable.Range(0, features).Select(f => $"\"{View}:f{f}\""));

    /// <summary>
    /// <paramref name="count"/> bodies of <paramref name="entities"/> users each, asking for the first
    /// <paramref name="features"/> of <see cref="View"/>, or for <paramref name="refs"/> (comma-separated
    /// <c>view:feature</c> references) when given.
    /// </summary>
    public static string[] JsonBodies(int entities, int features, int ids, int count, string? refs = null)
    {
        var random = new Random(42);
        var list = refs is null ? FeatureList(features) : string.Join(",", refs.Split(',').Select(r => $"\"{r}\""));
        var bodies = new string[count];
        for (var i = 0; i < count; i++)
        {
            var keys = string.Join(",", Enumerable.Range(0, entities).Select(_ => random.Next(ids).ToString(CultureInfo.InvariantCulture)));
            bodies[i] = $"{{\"features\":[{list}],\"entities\":{{\"user_id\":[{keys}]}}}}";
        }

        return bodies;
    }

    public static byte[][] JsonBodyBytes(int entities, int features, int ids, int count, string? refs = null) =>
        [.. JsonBodies(entities, features, ids, count, refs).Select(Encoding.UTF8.GetBytes)];

    public static GetOnlineFeaturesRequest[] GrpcRequests(int entities, int features, int ids, int count)
    {
        var random = new Random(42);
        var requests = new GetOnlineFeaturesRequest[count];
        for (var i = 0; i < count; i++)
        {
            var request = new GetOnlineFeaturesRequest();
            request.Features.AddRange(Enumerable.Range(0, features).Select(f => $"{View}:f{f}"));
            var column = new RepeatedValue();
            for (var e = 0; e < entities; e++)
            {
                column.Val.Add(new Value { Int64Val = random.Next(ids) });
            }

            request.Entities.Add("user_id", column);
            requests[i] = request;
        }

        return requests;
    }
}
