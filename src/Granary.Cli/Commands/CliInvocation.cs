using System.CommandLine;

namespace Granary.Cli.Commands;

/// <summary>
/// The invocation's settings plus the clock the commands compose their store with and read <c>now</c> from. Users
/// always get the system clock; tests run the command tree in-process with a fake one, so that ttl and watermark
/// checks do not depend on the day the tests run. Deliberately no environment variable or option: a clock a user
/// could set by accident would silently change which values are served.
/// </summary>
internal sealed class CliInvocation : InvocationConfiguration
{
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
