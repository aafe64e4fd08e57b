#nullable enable

namespace Granary.Samples.Unity
{
    /// <summary>A player's features as the game uses them, defaults filled in.</summary>
    public sealed class PlayerSnapshot
    {
        public PlayerSnapshot(long playerId, double winRate, long matches, string region, bool fresh)
        {
            PlayerId = playerId;
            WinRate = winRate;
            Matches = matches;
            Region = region;
            Fresh = fresh;
        }

        public long PlayerId { get; }

        public double WinRate { get; }

        public long Matches { get; }

        public string Region { get; }

        /// <summary>Whether the win rate was PRESENT (rather than a default for a missing or stale value).</summary>
        public bool Fresh { get; }
    }
}
