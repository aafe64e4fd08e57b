namespace Granary.Quality.Expressions;

/// <summary>The SQL engines an expression is translated for; they differ in type names and string order.</summary>
internal enum SqlDialect
{
    DuckDb,
    PostgreSql,
}
