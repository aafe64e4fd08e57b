namespace Granary.Contracts.Http;

/// <summary>What a body's field holds on the wire; the readers read and the OpenAPI document describes each kind the same way.</summary>
internal enum JsonFieldKind
{
    /// <summary>A string.</summary>
    String,

    /// <summary>One of <see cref="JsonField.AllowedValues"/>, as a string.</summary>
    Enum,

    /// <summary>An ISO-8601 instant as a string (<c>date-time</c>).</summary>
    Timestamp,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>A whole number (int64).</summary>
    Integer,

    /// <summary>A number, whole or not.</summary>
    Number,

    /// <summary>A list of strings; each one of <see cref="JsonField.AllowedValues"/> when the field lists them.</summary>
    StringList,

    /// <summary>A list of ISO-8601 instants, as strings (<c>date-time</c>).</summary>
    TimestampList,

    /// <summary>
    /// Rows column-major, as pandas' <c>to_dict(orient="list")</c> writes them: column name → its values, one per row,
    /// each a number, string, boolean, null or list of them.
    /// </summary>
    Columns,

    /// <summary>A list of values: numbers, strings, booleans, nulls or lists of them.</summary>
    ValueList,

    /// <summary>An object of the fields <see cref="JsonField.Body"/> describes.</summary>
    Object,

    /// <summary>A list of objects of the fields <see cref="JsonField.Body"/> describes.</summary>
    ObjectList,

    /// <summary>An object whose properties are any JSON values (a transformation's or a rule's parameters).</summary>
    AnyObject,

    /// <summary>A list of objects whose properties are any JSON values (an entity spine's rows: join key → value).</summary>
    AnyObjectList,
}
