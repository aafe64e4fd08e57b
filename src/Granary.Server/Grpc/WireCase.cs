namespace Granary.Server.Grpc;

/// <summary>
/// The kinds of value both wires carry, numbered as their <c>oneof val</c> fields: granary.proto's <c>Value</c> keeps
/// the field numbers of Feast's <c>types/Value.proto</c>, so one number means one kind on either wire (a value's
/// <c>ValCase</c> cast to this enum). Only the timestamps' unit differs: seconds in Feast's, microseconds in Granary's.
/// </summary>
internal enum WireCase
{
    None = 0,
    Bytes = 1,
    String = 2,
    Int32 = 3,
    Int64 = 4,
    Double = 5,
    Float = 6,
    Bool = 7,
    Timestamp = 8,
    BytesList = 11,
    StringList = 12,
    Int32List = 13,
    Int64List = 14,
    DoubleList = 15,
    FloatList = 16,
    BoolList = 17,
    TimestampList = 18,
    Null = 19,
}
