namespace Granary.Core.Model;

/// <summary>The scalar value types a feature or entity key can have.</summary>
public enum ScalarKind : byte
{
    Int32 = 1,
    Int64 = 2,
    Float32 = 3,
    Float64 = 4,
    String = 5,
    Bool = 6,
    Bytes = 7,

    /// <summary>A point in time, UTC, microsecond precision.</summary>
    UnixTimestamp = 8,
}
