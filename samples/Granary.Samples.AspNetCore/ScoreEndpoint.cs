using Granary.Client;

namespace Granary.Samples.AspNetCore;

/// <summary><c>GET /score/{userId}</c>: the user's features from the feature server, turned into a toy score.</summary>
internal static class ScoreEndpoint
{
    private const string Ctr = "user_activity:ctr_7d";
    private const string Clicks = "user_activity:clicks_7d";
    private const string Age = "user_profile:age";

    // Built once: the feature list is the same for every request; only the entity changes.
    private static readonly string[] Features = [Ctr, Clicks, Age];

    public static async Task<IResult> HandleAsync(long userId, GranaryClient granary, CancellationToken cancellationToken)
    {
        OnlineFeatures features;
        try
        {
            var request = OnlineFeaturesRequest.ForFeatures(Features).WithEntityColumn("user_id", [userId]);
            features = await granary.GetOnlineFeaturesAsync(request, cancellationToken);
        }
        catch (GranaryClientException e) when (e.IsTransient)
        {
            // The feature server is down or slow even after the client's retries: say so rather than guess a score.
            return Results.Problem($"The feature server did not answer: {e.Message}", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        if (features.GetStatus(0, Ctr) == FeatureStatus.NotFound)
        {
            return Results.NotFound(new { userId, error = "no features for this user" });
        }

        // A missing value (null, or older than the view's ttl) falls back to a prior rather than to zero.
        var ctr = features.GetDouble(0, Ctr) ?? 0.02;
        var clicks = features.GetInt64(0, Clicks) ?? 0;
        var age = features.GetInt64(0, Age);
        var score = 1 / (1 + Math.Exp(-((40 * ctr) + (0.05 * clicks) - 1.5)));
        return Results.Ok(new ScoreResponse(userId, Math.Round(score, 4), ctr, clicks, age, features.GetStatus(0, Ctr).ToString()));
    }
}
