#if !NET
using System.Runtime.CompilerServices;

namespace Granary.Client;

// The netstandard2.1 build (Unity's profile and older runtimes) lacks a few framework members that net10.0 has. As in
// Granary.Contracts (whose copy is internal to it: the two ship as separate packages), C# 14 extension members supply
// them under the same names, so the shared code reads the same for both targets.
internal static class NetStandardPolyfills
{
    extension(ArgumentNullException)
    {
        public static void ThrowIfNull(object? argument, [CallerArgumentExpression(nameof(argument))] string? paramName = null)
        {
            if (argument is null)
            {
                throw new ArgumentNullException(paramName);
            }
        }
    }

    extension(ArgumentException)
    {
        public static void ThrowIfNullOrEmpty(string? argument, [CallerArgumentExpression(nameof(argument))] string? paramName = null)
        {
            ArgumentNullException.ThrowIfNull(argument, paramName);
            if (argument!.Length == 0)
            {
                throw new ArgumentException("The value cannot be an empty string.", paramName);
            }
        }
    }
}
#endif
