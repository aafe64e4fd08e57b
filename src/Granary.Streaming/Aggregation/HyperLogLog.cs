using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Numerics;
using System.Text;
using Granary.Core.Model;
using Granary.Core.Values;

namespace Granary.Streaming.Aggregation;

/// <summary>
/// Distinct values counted with HyperLogLog (Flajolet et al., 2007) over 2^12 registers, with two refinements that
/// matter for features: up to <see cref="SparseLimit"/> distinct values the sketch keeps their 64-bit hashes and the
/// count is exact (but for hash collisions, about 1 in 10^15 pairs); above it, the registers give a relative standard
/// error of 1.04 / sqrt(4096), about 1.6%, with linear counting for small cardinalities. Values hash with XxHash64
/// over their stored bytes, so every process agrees on a state's meaning; int32 and int64 of the same number are one
/// value. Merging takes the union of hashes or the maximum of each register, so it is exact with respect to the union.
/// </summary>
internal sealed class HyperLogLog : AggregateState
{
    /// <summary>Registers: 2^<see cref="Precision"/>.</summary>
    public const int Precision = 12;

    /// <summary>Distinct values counted exactly before the sketch switches to registers.</summary>
    public const int SparseLimit = 256;

    private const int RegisterCount = 1 << Precision;

    /// <summary>The relative standard error of the register estimate, 1.04 / sqrt(m).</summary>
    public static double StandardError => 1.04 / Math.Sqrt(RegisterCount);

    // Sparse: sorted distinct hashes. Dense: one byte per register (the longest run of leading zeros + 1).
    private ulong[]? _hashes = [];
    private int _hashCount;
    private byte[]? _registers;

    public bool IsExact => _registers is null;

    public override void Update(in FeatureValue value, long eventMicros) => Add(Hash(value));

    public override void Merge(AggregateState other)
    {
        var o = (HyperLogLog)other;
        if (o._registers is null)
        {
            for (var i = 0; i < o._hashCount; i++)
            {
                Add(o._hashes![i]);
            }

            return;
        }

        ToDense();
        for (var i = 0; i < RegisterCount; i++)
        {
            _registers![i] = Math.Max(_registers[i], o._registers[i]);
        }
    }

    public override FeatureValue Result(int output) => FeatureValue.Int64(Estimate());

    public long Estimate()
    {
        if (_registers is null)
        {
            return _hashCount;
        }

        double inverseSum = 0;
        var zeros = 0;
        foreach (var register in _registers)
        {
            inverseSum += 1.0 / (1UL << register);
            if (register == 0)
            {
                zeros++;
            }
        }

        const double m = RegisterCount;
        var alpha = 0.7213 / (1 + 1.079 / m);
        var raw = alpha * m * m / inverseSum;
        var estimate = raw <= 2.5 * m && zeros > 0 ? m * Math.Log(m / zeros) : raw;
        return (long)Math.Round(estimate);
    }

    public override void Write(StateWriter writer)
    {
        if (_registers is null)
        {
            writer.WriteByte(0);
            writer.WriteLength(_hashCount);
            for (var i = 0; i < _hashCount; i++)
            {
                writer.WriteInt64((long)_hashes![i]);
            }
        }
        else
        {
            writer.WriteByte(1);
            writer.WriteBytes(_registers);
        }
    }

    public static HyperLogLog Read(ref StateReader reader)
    {
        var state = new HyperLogLog();
        if (reader.ReadByte() == 0)
        {
            var count = reader.ReadLength();
            for (var i = 0; i < count; i++)
            {
                state.Add((ulong)reader.ReadInt64());
            }
        }
        else
        {
            var registers = reader.ReadBytes();
            if (registers.Length != RegisterCount)
            {
                throw new FormatException($"A stored distinct-count sketch has {registers.Length} registers, not {RegisterCount}.");
            }

            state._registers = registers.ToArray();
            state._hashes = null;
        }

        return state;
    }

    /// <summary>The value's 64-bit hash: of its 8-byte payload for fixed-width scalars (integers as int64), else of its bytes.</summary>
    public static ulong Hash(in FeatureValue value)
    {
        switch (value.Type.Kind)
        {
            case ScalarKind.String:
                var text = value.AsString();
                var size = Encoding.UTF8.GetMaxByteCount(text.Length);
                byte[]? rented = null;
                var buffer = size <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(size));
                var written = Encoding.UTF8.GetBytes(text, buffer);
                var hash = XxHash64.HashToUInt64(buffer[..written]);
                if (rented is not null)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }

                return hash;
            case ScalarKind.Bytes:
                return XxHash64.HashToUInt64(value.AsBytes());
            default:
                Span<byte> bits = stackalloc byte[8];
                var payload = value.Type.Kind == ScalarKind.Int32 ? value.AsInt32() : value.ToScalarBits();
                BinaryPrimitives.WriteInt64LittleEndian(bits, payload);
                return XxHash64.HashToUInt64(bits);
        }
    }

    private void Add(ulong hash)
    {
        if (_registers is not null)
        {
            AddToRegisters(_registers, hash);
            return;
        }

        var index = Array.BinarySearch(_hashes!, 0, _hashCount, hash);
        if (index >= 0)
        {
            return;
        }

        if (_hashCount == SparseLimit)
        {
            ToDense();
            AddToRegisters(_registers!, hash);
            return;
        }

        index = ~index;
        if (_hashCount == _hashes!.Length)
        {
            Array.Resize(ref _hashes, Math.Max(4, Math.Min(SparseLimit, _hashes.Length * 2)));
        }

        Array.Copy(_hashes, index, _hashes, index + 1, _hashCount - index);
        _hashes[index] = hash;
        _hashCount++;
    }

    private void ToDense()
    {
        if (_registers is not null)
        {
            return;
        }

        _registers = new byte[RegisterCount];
        for (var i = 0; i < _hashCount; i++)
        {
            AddToRegisters(_registers, _hashes![i]);
        }

        _hashes = null;
        _hashCount = 0;
    }

    private static void AddToRegisters(byte[] registers, ulong hash)
    {
        var index = (int)(hash >> (64 - Precision));
        // The rank of the remaining 52 bits: leading zeros + 1, with a sentinel bit so an all-zero rest ranks 53.
        var rest = (hash << Precision) | (1UL << (Precision - 1));
        var rank = (byte)(BitOperations.LeadingZeroCount(rest) + 1);
        if (rank > registers[index])
        {
            registers[index] = rank;
        }
    }
}
