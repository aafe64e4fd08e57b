namespace Granary.Offline.Files;

/// <summary>A column of a data file, by a kind both sides of a file hand-over agree on.</summary>
/// <param name="Name">The column's name.</param>
/// <param name="Kind">What it holds.</param>
/// <param name="Precision">For <see cref="FileValueKind.Decimal"/>: the digits (1 to 28); otherwise 0.</param>
/// <param name="Scale">For <see cref="FileValueKind.Decimal"/>: the digits after the point; otherwise 0.</param>
internal sealed record FileColumn(string Name, FileValueKind Kind, int Precision = 0, int Scale = 0);

/// <summary>What a <see cref="FileColumn"/> holds; anything without a kind of its own travels as its text.</summary>
internal enum FileValueKind
{
    Int64,
    Int32,
    Int16,
    Float64,
    Float32,
    Boolean,
    Text,
    Bytes,

    /// <summary>A point in time, kept with its zone (UTC).</summary>
    Timestamp,

    /// <summary>A wall-clock time without a zone (read as UTC elsewhere in Granary).</summary>
    NaiveTimestamp,
    Date,
    Uuid,
    Decimal,
}
