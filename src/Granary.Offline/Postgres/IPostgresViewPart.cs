namespace Granary.Offline.Postgres;

/// <summary>
/// One view's share of <see cref="PostgresPointInTimeQuery"/>: CTEs that follow the entity CTE, and joins that follow it
/// in the final <c>FROM</c>, exposing feature <c>f</c> of view <c>i</c> as <see cref="PostgresViewJoin.FeatureColumn"/>.
/// </summary>
internal interface IPostgresViewPart
{
    /// <summary>The view's CTEs, to follow a comma after the entity CTE.</summary>
    string Ctes();

    /// <summary>The view's joins, to follow the entity CTE in the final FROM.</summary>
    string Joins();
}
