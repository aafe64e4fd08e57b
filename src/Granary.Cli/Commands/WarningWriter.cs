using Microsoft.Extensions.Logging;

namespace Granary.Cli.Commands;

/// <summary>
/// Shows a long-running command's warnings (a webhook that failed, an alert not evaluated) on standard error, one line
/// each; the CLI has no logging otherwise.
/// </summary>
internal sealed class WarningWriter(TextWriter error) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            error.WriteLine($"warning: {formatter(state, exception)}");
        }
    }
}
