#if !NET
using System.Runtime.CompilerServices;

namespace Granary.Compatibility;

// The netstandard2.1 builds of Granary.Contracts and Granary.Client (Unity's profile and older runtimes) lack a few
// framework members that net10.0 has. These C# 14 extension members supply them under the same names, so the shared
// code reads the same for both targets and the net10.0 build keeps the framework's own (faster, vectorized) versions.
// One source file, compiled into each of the two assemblies as an internal type (see src/Shared/Shared.props): the
// two ship as separate packages, so neither may depend on the other's internals.
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

    extension(TimeSpan)
    {
        public static long TicksPerMicrosecond => TimeSpan.TicksPerMillisecond / 1000;
    }

    extension(ref HashCode hash)
    {
        public void AddBytes(ReadOnlySpan<byte> value)
        {
            foreach (var b in value)
            {
                hash.Add(b);
            }
        }
    }

    extension(ReadOnlySpan<char> span)
    {
        public int IndexOfAnyInRange(char lowInclusive, char highInclusive)
        {
            for (var i = 0; i < span.Length; i++)
            {
                if ((uint)(span[i] - lowInclusive) <= (uint)(highInclusive - lowInclusive))
                {
                    return i;
                }
            }

            return -1;
        }
    }

    extension(double value)
    {
        // UTF-8 formatting of a double arrived in .NET 8; before it, format to chars (all ASCII) and narrow.
        public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
        {
            Span<char> chars = stackalloc char[utf8Destination.Length];
            if (!value.TryFormat(chars, out var written, format, provider))
            {
                bytesWritten = 0;
                return false;
            }

            for (var i = 0; i < written; i++)
            {
                utf8Destination[i] = (byte)chars[i];
            }

            bytesWritten = written;
            return true;
        }
    }
}
#endif
