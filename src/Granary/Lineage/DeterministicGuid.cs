using System.Security.Cryptography;
using System.Text;

namespace Granary.Lineage;

/// <summary>
/// Name-based UUIDs (RFC 9562 version 5: SHA-1 of a namespace and a name): the same name gives the same id on every
/// machine and every run, which is what makes an OpenLineage export idempotent.
/// </summary>
internal static class DeterministicGuid
{
    /// <summary>The namespace of Granary's run ids; fixed forever, or every id would change.</summary>
    public static readonly Guid RunNamespace = new("6f1c8e2a-4b7d-5e90-a3c1-0d2b9f4e7a61");

    public static Guid Create(Guid @namespace, string name)
    {
        Span<byte> input = stackalloc byte[16];
        @namespace.TryWriteBytes(input, bigEndian: true, out _);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var buffer = new byte[16 + nameBytes.Length];
        input.CopyTo(buffer);
        nameBytes.CopyTo(buffer, 16);

        Span<byte> hash = stackalloc byte[20];
#pragma warning disable CA5350 // SHA-1 is what version 5 UUIDs are defined with; nothing here is a secret.
        SHA1.HashData(buffer, hash);
#pragma warning restore CA5350
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
