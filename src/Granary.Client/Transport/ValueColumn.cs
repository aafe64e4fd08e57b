namespace Granary.Client;

/// <summary>
/// One named column of a request: join key values of the entities asked for, or a column of pushed rows. Values are
/// CLR primitives (<see cref="long"/>, <see cref="int"/>, <see cref="double"/>, <see cref="float"/>,
/// <see cref="bool"/>, <see cref="string"/>, <see cref="byte"/> arrays, <see cref="DateTimeOffset"/>,
/// <see cref="DateTime"/>), lists of them, or null.
/// </summary>
internal sealed class ValueColumn
{
    public ValueColumn(string name, List<object?> values)
    {
        Name = name;
        Values = values;
    }

    public string Name { get; }

    public List<object?> Values { get; }
}
