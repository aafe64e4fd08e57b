namespace Granary.Client;

/// <summary>What a <see cref="AnsweredValue"/> holds.</summary>
internal enum AnsweredValueKind : byte
{
    Null,
    Int64,
    Double,
    Boolean,
    String,
    List,
}
