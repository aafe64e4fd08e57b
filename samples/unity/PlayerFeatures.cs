#nullable enable
using System;
using System.Threading;
using System.Threading.Tasks;
using Granary.Client;
#if UNITY_5_3_OR_NEWER
using UnityEngine;
#endif

namespace Granary.Samples.Unity
{
    /// <summary>
    /// Loads a player's features from a Granary feature server when the scene starts, for game logic to read (a
    /// matchmaking rating, a churn risk, ...). In Unity it is a component (drag it onto a GameObject); outside Unity it
    /// is a plain class whose <see cref="LoadAsync"/> does the same.
    /// </summary>
    public sealed class PlayerFeatures
#if UNITY_5_3_OR_NEWER
        : MonoBehaviour
#endif
    {
        private const string WinRate = "player_stats:win_rate_7d";
        private const string Matches = "player_stats:matches_7d";
        private const string Region = "player_profile:region";

        // Shown in the Inspector ([SerializeField] private, as Unity recommends over public fields); these are the
        // defaults a new component starts with.
#if UNITY_5_3_OR_NEWER
        [SerializeField]
#endif
        private string _serverAddress = "http://localhost:6566";
#if UNITY_5_3_OR_NEWER
        [SerializeField]
#endif
        private long _playerId = 42;
#if UNITY_5_3_OR_NEWER
        [SerializeField]
#endif
        private int _timeoutMilliseconds = 2000;

        // One client per component (and better, one per game): it keeps its HTTP connection open between requests.
        private GranaryClient? _client;
        private CancellationTokenSource? _lifetime;

        /// <summary>The feature server's HTTP address; read when the first load starts.</summary>
        public string ServerAddress
        {
            get => _serverAddress;
            set => _serverAddress = value;
        }

        /// <summary>The player whose features <c>Start</c> loads.</summary>
        public long PlayerId
        {
            get => _playerId;
            set => _playerId = value;
        }

        /// <summary>How long one attempt may take; a game frame should never wait on it (the load is asynchronous).</summary>
        public int TimeoutMilliseconds
        {
            get => _timeoutMilliseconds;
            set => _timeoutMilliseconds = value;
        }

        /// <summary>The latest features loaded; null until the first load finishes.</summary>
        public PlayerSnapshot? Snapshot { get; private set; }

        /// <summary>The last failure's message, for the UI; null when the last load succeeded.</summary>
        public string? Error { get; private set; }

        /// <summary>Asks the server for <paramref name="player"/>'s features and keeps them in <see cref="Snapshot"/>.</summary>
        public async Task<PlayerSnapshot?> LoadAsync(long player, CancellationToken cancellationToken)
        {
            _client ??= new GranaryClient(new GranaryClientOptions
            {
                // Unity: HTTP. The gRPC transport needs HTTP/2 in HttpClient, which Unity's Mono does not have.
                Transport = GranaryTransport.Http,
                BaseAddress = new Uri(_serverAddress),
                Timeout = TimeSpan.FromMilliseconds(_timeoutMilliseconds),
                RetryCount = 2,
            });
            try
            {
                var request = OnlineFeaturesRequest.ForFeatures(WinRate, Matches, Region).WithEntityColumn("player_id", new[] { player });
                var features = await _client.GetOnlineFeaturesAsync(request, cancellationToken);

                // Game code should not crash on a new or silent player: missing values fall back to defaults.
                Snapshot = new PlayerSnapshot(
                    player,
                    features.GetDouble(0, WinRate) ?? 0.5,
                    features.GetInt64(0, Matches) ?? 0,
                    features.GetString(0, Region) ?? "unknown",
                    features.GetStatus(0, WinRate) == FeatureStatus.Present);
                Error = null;
                return Snapshot;
            }
            catch (GranaryClientException e)
            {
                // Code is the server's stable error code: "not_found" for a feature the server does not have, ...
                Error = e.Code + ": " + e.Message;
                return null;
            }
        }

        /// <summary>Closes the client's connections.</summary>
        public void Close()
        {
            _lifetime?.Cancel();
            _lifetime?.Dispose();
            _lifetime = null;
            _client?.Dispose();
            _client = null;
        }

#if UNITY_5_3_OR_NEWER
        // async void is how Unity runs an async Start. Unity's synchronization context brings each await back to the
        // main thread, so the lines after it may touch GameObjects; the client's own work runs on the thread pool.
        private async void Start()
        {
            _lifetime = new CancellationTokenSource();
            var snapshot = await LoadAsync(_playerId, _lifetime.Token);
            if (snapshot is null)
            {
                Debug.LogWarning("Granary: " + Error);
                return;
            }

            Debug.Log($"Granary: player {snapshot.PlayerId} win rate {snapshot.WinRate:P0} over {snapshot.Matches} matches ({snapshot.Region})");
        }

        // Leaving play mode or destroying the object cancels a request in flight and closes the connection.
        private void OnDestroy() => Close();
#endif
    }
}
