namespace Granary.Quality.Expressions;

/// <summary>
/// The types an expression computes with. Integer columns (int32, int64) read as <see cref="Int"/>, float columns as
/// <see cref="Float"/>; <see cref="Null"/> is the type of the literal <c>null</c> alone, which fits any other.
/// <see cref="FloatList"/> is a list&lt;float32&gt; or list&lt;float64&gt; column (an embedding), read where lists are
/// allowed (on-demand features), and <see cref="IntList"/> is what <c>one_hot</c> computes. <see cref="Timestamp"/> is a
/// unix_timestamp column there, which only <c>date_part</c>, <c>is_null</c> and <c>coalesce</c> take.
/// </summary>
internal enum ExpressionValueType
{
    Null,
    Int,
    Float,
    String,
    Bool,
    FloatList,
    IntList,
    Timestamp,
}
