using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Granary.Tests.Infrastructure;

/// <summary>A logger that keeps every entry, for tests that check which events a component logs and with which ids.</summary>
public sealed class CapturedLog : ILogger
{
    public ConcurrentQueue<Entry> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue(new Entry(logLevel, eventId.Id, eventId.Name, formatter(state, exception), exception));

    /// <summary>The entries with event id <paramref name="id"/>.</summary>
    public Entry[] WithId(int id) => [.. Entries.Where(e => e.EventId == id)];

    public override string ToString() => string.Join("\n", Entries.Select(e => $"{e.Level} [{e.EventId}] {e.Message}"));

    public sealed record Entry(LogLevel Level, int EventId, string? EventName, string Message, Exception? Exception);
}
