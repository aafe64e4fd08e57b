namespace Granary.Streaming.Sources;

/// <summary>Why a message is not an event of its view: the field at fault (<c>amount</c>, <c>json.amount</c>, <c>(body)</c>) and what is wrong with it.</summary>
internal readonly record struct MalformedMessage(string Field, string Reason)
{
    public override string ToString() => $"{Field}: {Reason}";
}
