namespace Granary.Samples.AspNetCore;

/// <summary>What <c>/score/{userId}</c> answers: the score and the features it came from.</summary>
internal sealed record ScoreResponse(long UserId, double Score, double Ctr7d, long Clicks7d, long? Age, string CtrStatus);
