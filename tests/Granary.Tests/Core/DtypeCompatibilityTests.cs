using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Core.Model;
using Granary.Core.Sources;

namespace Granary.Tests.Core;

/// <summary>The table of which dtype holds which engine column type, as docs/repository-format.md writes it out.</summary>
public sealed class DtypeCompatibilityTests
{
    [Theory]
    [InlineData("int32", "INTEGER")]
    [InlineData("int32", "SMALLINT")]
    [InlineData("int32", "integer")]
    [InlineData("int32", "DECIMAL(9,0)")]
    [InlineData("int64", "INTEGER")]
    [InlineData("int64", "BIGINT")]
    [InlineData("int64", "UINTEGER")]
    [InlineData("int64", "bigint")]
    [InlineData("int64", "numeric(18,0)")]
    [InlineData("float32", "FLOAT")]
    [InlineData("float32", "BIGINT")]
    [InlineData("float64", "BIGINT")]
    [InlineData("float64", "real")]
    [InlineData("float64", "double precision")]
    [InlineData("float64", "DECIMAL(18,2)")]
    [InlineData("float64", "numeric")]
    [InlineData("string", "VARCHAR")]
    [InlineData("string", "character varying(20)")]
    [InlineData("string", "uuid")]
    [InlineData("string", "BIGINT")]
    [InlineData("string", "BOOLEAN")]
    [InlineData("bool", "BOOLEAN")]
    [InlineData("bool", "boolean")]
    [InlineData("bytes", "BLOB")]
    [InlineData("bytes", "bytea")]
    [InlineData("unix_timestamp", "TIMESTAMP WITH TIME ZONE")]
    [InlineData("unix_timestamp", "TIMESTAMP_NS")]
    [InlineData("unix_timestamp", "timestamp without time zone")]
    [InlineData("unix_timestamp", "DATE")]
    [InlineData("list<float32>", "FLOAT[]")]
    [InlineData("list<float64>", "FLOAT[384]")]
    [InlineData("list<int64>", "integer[]")]
    [InlineData("list<string>", "_text")]
    [InlineData("int64", "NULL")]
    [InlineData("bool", "SOMETHING_NEW")]
    public void A_dtype_holds_a_column_whose_values_all_convert_without_loss_of_kind(string dtype, string engineType) =>
        Assert.True(DtypeCompatibility.CanHold(FeatureType.Parse(dtype), ColumnType.Parse(engineType)));

    [Theory]
    [InlineData("int64", "VARCHAR", "string")]
    [InlineData("int64", "DOUBLE", "float64")]
    [InlineData("int64", "FLOAT", "float32")]
    [InlineData("int64", "UBIGINT", null)]
    [InlineData("int64", "HUGEINT", null)]
    [InlineData("int64", "numeric", "float64")]
    [InlineData("int64", "DECIMAL(10,2)", "float64")]
    [InlineData("int32", "BIGINT", "int64")]
    [InlineData("int32", "UINTEGER", "int64")]
    [InlineData("int32", "numeric(10,0)", "int64")]
    [InlineData("float32", "DOUBLE", "float64")]
    [InlineData("bool", "INTEGER", "int32")]
    [InlineData("bool", "VARCHAR", "string")]
    [InlineData("string", "BLOB", "bytes")]
    [InlineData("string", "TIMESTAMP", "unix_timestamp")]
    [InlineData("unix_timestamp", "BIGINT", "int64")]
    [InlineData("unix_timestamp", "VARCHAR", "string")]
    [InlineData("bytes", "VARCHAR", "string")]
    [InlineData("float64", "DOUBLE[]", "list<float64>")]
    [InlineData("list<float32>", "FLOAT", "float32")]
    [InlineData("list<int32>", "BIGINT[]", "list<int64>")]
    [InlineData("string", "INTERVAL", null)]
    [InlineData("string", "STRUCT(a INTEGER)", null)]
    public void A_dtype_that_cannot_hold_a_column_is_refused_with_the_dtype_that_can(string dtype, string engineType, string? natural)
    {
        var column = ColumnType.Parse(engineType);

        Assert.False(DtypeCompatibility.CanHold(FeatureType.Parse(dtype), column));
        Assert.Equal(natural, DtypeCompatibility.Natural(column)?.ToString());
    }

    [Fact]
    public void Inferred_csv_types_let_int32_hold_a_bigint_column_and_float32_a_double_one_but_change_no_kind()
    {
        Assert.True(DtypeCompatibility.CanHold(FeatureType.Int32, ColumnType.Parse("BIGINT"), typesInferred: true));
        Assert.True(DtypeCompatibility.CanHold(FeatureType.Float32, ColumnType.Parse("DOUBLE"), typesInferred: true));
        Assert.False(DtypeCompatibility.CanHold(FeatureType.Float32, ColumnType.Parse("DOUBLE")));
        Assert.False(DtypeCompatibility.CanHold(FeatureType.Int32, ColumnType.Parse("DOUBLE"), typesInferred: true));
        Assert.False(DtypeCompatibility.CanHold(FeatureType.Int64, ColumnType.Parse("VARCHAR"), typesInferred: true));
    }

    private static readonly string[] EngineTypes =
    [
        "BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "HUGEINT",
        "FLOAT", "DOUBLE", "DECIMAL(4,0)", "DECIMAL(18,0)", "DECIMAL(18,3)", "DECIMAL(38,0)", "VARCHAR", "BLOB", "DATE",
        "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "INTERVAL", "UUID", "boolean", "smallint", "integer", "bigint", "real",
        "double precision", "numeric", "text", "bytea", "timestamp with time zone", "jsonb",
    ];

    // The naive reference: the dtypes each scalar kind converts to exactly, by the rules written in the docs.
    private static bool Widens(ColumnKind from, ScalarKind to) => to switch
    {
        ScalarKind.Int32 => from is ColumnKind.Int16 or ColumnKind.Int32,
        ScalarKind.Int64 => from is ColumnKind.Int16 or ColumnKind.Int32 or ColumnKind.UInt32 or ColumnKind.Int64,
        _ => false,
    };

    [Property(MaxTest = 300)]
    public Property The_suggested_dtype_always_holds_the_column_and_integers_only_ever_widen()
    {
        var gen = from engine in Gen.Elements(EngineTypes)
                  from list in Gen.Elements(false, true)
                  from dtype in Gen.Elements(Enum.GetValues<ScalarKind>().Where(k => k != 0).ToArray())
                  select (Column: ColumnType.Parse(list ? engine + "[]" : engine), Dtype: new FeatureType(dtype, list));
        return Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var natural = DtypeCompatibility.Natural(c.Column);
            var suggestionHolds = natural is null || DtypeCompatibility.CanHold(natural.Value, c.Column);
            var isWholeInteger = c.Column.Kind is ColumnKind.Int16 or ColumnKind.Int32 or ColumnKind.UInt32 or ColumnKind.Int64;
            var integerRule = !isWholeInteger || c.Dtype.Kind is not (ScalarKind.Int32 or ScalarKind.Int64)
                || DtypeCompatibility.CanHold(c.Dtype, c.Column) == Widens(c.Column.Kind, c.Dtype.Kind);
            var listsStayLists = !DtypeCompatibility.CanHold(c.Dtype with { IsList = !c.Dtype.IsList }, c.Column);
            return suggestionHolds && integerRule && listsStayLists;
        });
    }
}
