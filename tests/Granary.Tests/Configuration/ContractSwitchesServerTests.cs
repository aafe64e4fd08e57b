using Granary.Server;
using Granary.Server.Monitoring;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Granary.Tests.Configuration;

/// <summary><c>feature_store.enable_debug_logging</c> and <c>.enable_monitoring</c> switch the server's log level and alert monitor, per environment.</summary>
public sealed class ContractSwitchesServerTests
{
    [Fact]
    public async Task An_environment_that_enables_them_gets_debug_logs_and_the_monitor_and_the_default_gets_neither()
    {
        using var repo = SampleRepository.Create()
            .Write("config/dev.yaml", "feature_store:\n  enable_debug_logging: true\n  enable_monitoring: yes\n");

        var dev = await SwitchesAsync(repo, "dev");
        var local = await SwitchesAsync(repo, null);

        Assert.Equal((true, true), dev);
        Assert.Equal((false, false), local);
    }

    [Fact]
    public void A_switch_that_is_not_true_or_false_is_an_error_at_its_line()
    {
        using var repo = new TempRepository().Write("granary.yaml", "project: p\nfeature_store:\n  enable_monitoring: sometimes\n");

        var e = Assert.Throws<Granary.Core.Errors.DefinitionException>(() => Granary.Registry.Configuration.ConfigParser.Load(repo.Root, _ => null));

        var error = Assert.Single(e.Diagnostics);
        Assert.Equal(("granary.yaml", 3), (error.Location!.Value.File, error.Location!.Value.Line));
        Assert.Contains("'sometimes'", error.Message, StringComparison.Ordinal);
    }

    private static async Task<(bool Debug, bool Monitor)> SwitchesAsync(TempRepository repo, string? environment)
    {
        await using var server = new GranaryServer(
            new GranaryServerOptions { RepositoryPath = repo.Root, Port = 0, GrpcPort = null, Environment = environment },
            logging => logging.ClearProviders().AddProvider(new SilentProvider()));
        var debug = server.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Granary.OnlineServing").IsEnabled(LogLevel.Debug);
        var monitor = server.Services.GetServices<IHostedService>().OfType<AlertMonitorService>().Any();
        return (debug, monitor);
    }

    /// <summary>A logger that would take every level and writes nothing, so only the filter rules decide what is enabled.</summary>
    private sealed class SilentProvider : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
        }

        public void Dispose()
        {
        }
    }
}
