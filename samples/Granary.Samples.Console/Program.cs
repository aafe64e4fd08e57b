using System.Globalization;
using Granary.Client;

// Reads the quickstart demo's features for a few users from a running feature server and prints them.
//   dotnet run --project samples/Granary.Samples.Console -- [http://localhost:6566] [--grpc http://localhost:6567]
var httpAddress = new Uri("http://localhost:6566");
Uri? grpcAddress = null;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--grpc" && i + 1 < args.Length)
    {
        grpcAddress = new Uri(args[++i]);
    }
    else
    {
        httpAddress = new Uri(args[i]);
    }
}

var options = new GranaryClientOptions
{
    BaseAddress = httpAddress,
    GrpcAddress = grpcAddress,
    Transport = grpcAddress is null ? GranaryTransport.Http : GranaryTransport.Grpc,
    Timeout = TimeSpan.FromSeconds(5),
};
using var client = new GranaryClient(options);

// 42 and 7 exist in the demo data; 999999 does not, so its features come back NOT_FOUND.
long[] users = [42, 7, 999_999];
var request = OnlineFeaturesRequest
    .ForFeatures("user_activity:ctr_7d", "user_activity:clicks_7d", "user_profile:age", "user_profile:country")
    .WithEntityColumn("user_id", users);

try
{
    var features = await client.GetOnlineFeaturesAsync(request);
    Console.WriteLine($"{"user_id",-10} {"ctr_7d",-10} {"clicks_7d",-10} {"age",-5} {"country",-8} status of ctr_7d (event time)");
    for (var entity = 0; entity < features.EntityCount; entity++)
    {
        var ctr = features.GetDouble(entity, "user_activity:ctr_7d");
        var clicks = features.GetInt64(entity, "user_activity:clicks_7d");
        var age = features.GetInt64(entity, "user_profile:age");
        var country = features.GetString(entity, "user_profile:country");
        var status = features.GetStatus(entity, "user_activity:ctr_7d");
        var time = features.GetEventTimestamp(entity, "user_activity:ctr_7d");
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{users[entity],-10} {Show(ctr?.ToString("F4", CultureInfo.InvariantCulture)),-10} {Show(clicks?.ToString(CultureInfo.InvariantCulture)),-10} {Show(age?.ToString(CultureInfo.InvariantCulture)),-5} {Show(country),-8} {status} ({Show(time?.ToString("u", CultureInfo.InvariantCulture))})"));
    }

    var health = await client.CheckHealthAsync();
    Console.WriteLine($"Server: {health}");
    return 0;
}
catch (GranaryClientException e)
{
    // One exception type for every failure; Code is the server's stable error code (or the client's own).
    Console.Error.WriteLine($"error: {e.Code}: {e.Message}{(e.IsTransient ? " (transient: the server may be down)" : "")}");
    return 1;
}

static string Show(string? value) => value ?? "-";
