using Granary.Client;
using Granary.Samples.AspNetCore;

// A service that scores users with features from a Granary feature server (the quickstart demo's features).
//   dotnet run --project samples/Granary.Samples.AspNetCore
//   curl localhost:5000/score/42
var builder = WebApplication.CreateBuilder(args);

// One GranaryClient for the whole process (a singleton): it owns the connection pool, the retries and the cache.
// Settings come from configuration (appsettings.json's "Granary" section, or Granary__BaseAddress=... in the environment).
builder.Services.AddGranaryClient(options =>
{
    var section = builder.Configuration.GetSection("Granary");
    options.BaseAddress = new Uri(section["BaseAddress"] ?? "http://localhost:6566");
    options.Timeout = TimeSpan.FromMilliseconds(section.GetValue("TimeoutMs", 500));
    options.RetryCount = 2;

    // Hot users are scored again and again: keep their features for a few seconds rather than asking every time.
    options.CacheSize = 10_000;
    options.CacheTtl = TimeSpan.FromSeconds(5);
});

var app = builder.Build();
app.MapGet("/score/{userId:long}", (long userId, GranaryClient granary, CancellationToken cancellationToken) =>
    ScoreEndpoint.HandleAsync(userId, granary, cancellationToken));
app.Run();
