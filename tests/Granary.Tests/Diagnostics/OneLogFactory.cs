using Microsoft.Extensions.Logging;

namespace Granary.Tests.Diagnostics;

/// <summary>A logger factory whose every category logs to one <see cref="Granary.Tests.Infrastructure.CapturedLog"/>.</summary>
internal sealed class OneLogFactory(ILogger log) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => log;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }
}
