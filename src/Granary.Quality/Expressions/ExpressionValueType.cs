namespace Granary.Quality.Expressions;

/// <summary>
/// The types an expression computes with. Integer columns (int32, int64) read as <see cref="Int"/>, float columns as
/// <see cref="Float"/>; <see cref="Null"/> is the type of the literal <c>null</c> alone, which fits any other.
/// </summary>
internal enum ExpressionValueType
{
    Null,
    Int,
    Float,
    String,
    Bool,
}
