using System.Security.Cryptography;
using Granary.Contracts.Errors;
using Granary.Core.Errors;

namespace Granary.Server.Http;

/// <summary>
/// The answers of recent pushes and writes that carried an <c>Idempotency-Key</c>, so that a client retrying one
/// (after a timeout, say, when it cannot know whether the first attempt was applied) gets the first answer and the
/// rows are not applied twice. Each key is remembered with a SHA-256 of its body: the same key with another body is
/// <see cref="ErrorCodes.Conflict"/>. Bounded in time (<see cref="DefaultLifetime"/>) and count
/// (<see cref="DefaultCapacity"/>, oldest forgotten first), on the server's <see cref="TimeProvider"/>; the memory is
/// this process's only, so a restart, or another replica behind a load balancer, does not know the key.
/// </summary>
/// <remarks>
/// A key being applied is remembered as in flight: a repeat arriving meanwhile waits for the first's answer rather
/// than applying the rows beside it. A failed attempt forgets its key, so its retry is applied afresh.
/// </remarks>
internal sealed class IdempotentAnswers
{
    public const int DefaultCapacity = 10_000;
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(10);

    /// <summary>The longest key taken: a GUID or a hash fits many times over.</summary>
    public const int MaxKeyLength = 256;

    private readonly TimeProvider _time;
    private readonly int _capacity;
    private readonly TimeSpan _lifetime;
    private readonly Dictionary<(string Endpoint, string Key), Entry> _entries = [];
    private readonly Queue<(string Endpoint, string Key, Entry Entry)> _byAge = new();
    private readonly object _lock = new();

    public IdempotentAnswers(TimeProvider time, int capacity = DefaultCapacity, TimeSpan? lifetime = null)
    {
        _time = time;
        _capacity = capacity;
        _lifetime = lifetime ?? DefaultLifetime;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    public static byte[] Hash(ReadOnlySpan<byte> body) => SHA256.HashData(body);

    /// <summary>
    /// Applies a request once per key, for HTTP and gRPC alike: the first request with <paramref name="key"/> runs
    /// <paramref name="apply"/> and its answer, as <paramref name="remember"/> encodes it, is kept for the repeats; a
    /// repeat gets that answer's bytes and no applied result. A failure forgets the key, so its retry is applied.
    /// </summary>
    public async Task<(T? Applied, byte[] Answer)> RunOnceAsync<T>(
        string endpoint, string key, byte[] hash, Func<Task<T>> apply, Func<T, byte[]> remember, CancellationToken cancellationToken)
        where T : class
    {
        var (claim, remembered) = await BeginAsync(endpoint, key, hash, cancellationToken).ConfigureAwait(false);
        if (claim is null)
        {
            return (null, remembered!);
        }

        try
        {
            var applied = await apply().ConfigureAwait(false);
            var answer = remember(applied);
            claim.Complete(answer);
            return (applied, answer);
        }
        catch
        {
            claim.Abandon();
            throw;
        }
    }

    /// <summary>
    /// Claims <paramref name="key"/> for a request with body hash <paramref name="hash"/>: null when this request is
    /// the first (it then calls <see cref="Claim.Complete"/> or <see cref="Claim.Abandon"/> on the returned claim), else the
    /// first request's answer, awaited if still in flight.
    /// </summary>
    public async Task<(Claim? Claim, byte[]? Answer)> BeginAsync(string endpoint, string key, byte[] hash, CancellationToken cancellationToken)
    {
        Check(key);
        while (true)
        {
            Task<byte[]?> answer;
            lock (_lock)
            {
                var now = _time.GetUtcNow();
                Forget(now);
                if (!_entries.TryGetValue((endpoint, key), out var entry))
                {
                    entry = new Entry(hash, now + _lifetime);
                    _entries.Add((endpoint, key), entry);
                    _byAge.Enqueue((endpoint, key, entry));
                    return (new Claim(this, endpoint, key, entry), null);
                }

                if (!entry.Hash.AsSpan().SequenceEqual(hash))
                {
                    throw new GranaryException(
                        ErrorCodes.Conflict,
                        $"Idempotency-Key '{key}' was used for another {endpoint} body; a key names one request, so give each new request a new key.");
                }

                answer = entry.Answer.Task;
            }

            // Null: the first attempt failed and forgot the key, so this one applies the rows itself.
            if (await answer.WaitAsync(cancellationToken).ConfigureAwait(false) is { } remembered)
            {
                return (null, remembered);
            }
        }
    }

    private static void Check(string key)
    {
        if (key.Length == 0 || key.Length > MaxKeyLength)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"Idempotency-Key: give 1 to {MaxKeyLength} characters (a GUID, say); this one has {key.Length}.");
        }
    }

    // Entries are queued in the order they were made and all live equally long, so the expired ones are at the head;
    // past the capacity the oldest goes even if it is still fresh.
    private void Forget(DateTimeOffset now)
    {
        while (_byAge.Count > 0)
        {
            var (endpoint, key, entry) = _byAge.Peek();
            var stale = !_entries.TryGetValue((endpoint, key), out var current) || !ReferenceEquals(current, entry);
            if (!stale && entry.Expires > now && _entries.Count < _capacity)
            {
                break;
            }

            _byAge.Dequeue();
            if (!stale)
            {
                _entries.Remove((endpoint, key));
            }
        }
    }

    private void Remove(string endpoint, string key, Entry entry)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue((endpoint, key), out var current) && ReferenceEquals(current, entry))
            {
                _entries.Remove((endpoint, key));
            }
        }
    }

    /// <summary>A request's hold on its key: <see cref="Complete"/> remembers its answer, <see cref="Abandon"/> forgets the key.</summary>
    internal sealed class Claim(IdempotentAnswers owner, string endpoint, string key, Entry entry)
    {
        public void Complete(byte[] answer) => entry.Answer.TrySetResult(answer);

        public void Abandon()
        {
            owner.Remove(endpoint, key, entry);
            entry.Answer.TrySetResult(null);
        }
    }

    internal sealed class Entry(byte[] hash, DateTimeOffset expires)
    {
        public byte[] Hash { get; } = hash;

        public DateTimeOffset Expires { get; } = expires;

        /// <summary>The first attempt's answer; null when it failed.</summary>
        public TaskCompletionSource<byte[]?> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
