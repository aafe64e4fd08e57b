using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Granary.Contracts.Errors;
using Granary.Contracts.Grpc.V1;

namespace Granary.Client.Grpc;

/// <summary>
/// Request columns (join keys, pushed rows) as granary.proto's typed values. Each CLR value takes the kind that holds
/// it exactly (<see cref="long"/> as <c>int64_val</c>, <see cref="DateTimeOffset"/> as microseconds, ...); the server
/// converts it to the type the definitions declare where no information is lost, as it converts JSON. A value of
/// another CLR type is refused here, before anything is sent.
/// </summary>
internal static class GrpcRequestValues
{
    private const long TicksPerMicrosecond = 10;

    public static void AddColumns(MapField<string, RepeatedValue> map, IReadOnlyList<ValueColumn> columns, string field)
    {
        foreach (var column in columns)
        {
            var values = column.Values;
            var repeated = new RepeatedValue();
            repeated.Val.Capacity = values.Count;
            for (var row = 0; row < values.Count; row++)
            {
                repeated.Val.Add(ToValue(values[row], field, column.Name, row));
            }

            map.Add(column.Name, repeated);
        }
    }

    public static Value ToValue(object? value, string field, string column, int row) => value switch
    {
        null => new Value { NullVal = Null.Null },
        long l => new Value { Int64Val = l },
        int i => new Value { Int32Val = i },
        double d => new Value { DoubleVal = d },
        float f => new Value { FloatVal = f },
        bool b => new Value { BoolVal = b },
        string s => new Value { StringVal = s },
        byte[] bytes => new Value { BytesVal = ByteString.CopyFrom(bytes) },
        DateTimeOffset time => new Value { UnixTimestampMicrosVal = Micros(time) },
        DateTime time => new Value { UnixTimestampMicrosVal = Micros(Utc(time)) },
        IEnumerable list => ToList(list, field, column, row),
        _ => throw Unsupported(value, field, column, row),
    };

    private static Value ToList(IEnumerable items, string field, string column, int row)
    {
        switch (items)
        {
            case long[] longs:
                var int64 = new Int64List();
                int64.Val.Add(longs);
                return new Value { Int64ListVal = int64 };
            case int[] ints:
                var int32 = new Int32List();
                int32.Val.Add(ints);
                return new Value { Int32ListVal = int32 };
            case double[] doubles:
                var float64 = new DoubleList();
                float64.Val.Add(doubles);
                return new Value { DoubleListVal = float64 };
            case float[] floats:
                var float32 = new FloatList();
                float32.Val.Add(floats);
                return new Value { FloatListVal = float32 };
            case bool[] bools:
                var booleans = new BoolList();
                booleans.Val.Add(bools);
                return new Value { BoolListVal = booleans };
            case string[] strings:
                var texts = new StringList();
                texts.Val.Add(strings);
                return new Value { StringListVal = texts };
        }

        // Any other list (object?[], List<T>, ...): its kind is its first item's, and every item must share it.
        Value? list = null;
        foreach (var item in items)
        {
            var element = ToValue(item, field, column, row);
            list ??= Empty(element.ValCase, item, field, column, row);
            Append(list, element, item, field, column, row);
        }

        return list ?? new Value { Int64ListVal = new Int64List() };
    }

    private static Value Empty(Value.ValOneofCase kind, object? item, string field, string column, int row) => kind switch
    {
        Value.ValOneofCase.Int64Val => new Value { Int64ListVal = new Int64List() },
        Value.ValOneofCase.Int32Val => new Value { Int32ListVal = new Int32List() },
        Value.ValOneofCase.DoubleVal => new Value { DoubleListVal = new DoubleList() },
        Value.ValOneofCase.FloatVal => new Value { FloatListVal = new FloatList() },
        Value.ValOneofCase.BoolVal => new Value { BoolListVal = new BoolList() },
        Value.ValOneofCase.StringVal => new Value { StringListVal = new StringList() },
        Value.ValOneofCase.BytesVal => new Value { BytesListVal = new BytesList() },
        Value.ValOneofCase.UnixTimestampMicrosVal => new Value { UnixTimestampMicrosListVal = new Int64List() },
        _ => throw Unsupported(item, field, column, row),
    };

    private static void Append(Value list, Value element, object? item, string field, string column, int row)
    {
        switch (list.ValCase)
        {
            case Value.ValOneofCase.Int64ListVal when element.ValCase == Value.ValOneofCase.Int64Val: list.Int64ListVal.Val.Add(element.Int64Val); break;
            case Value.ValOneofCase.Int32ListVal when element.ValCase == Value.ValOneofCase.Int32Val: list.Int32ListVal.Val.Add(element.Int32Val); break;
            case Value.ValOneofCase.DoubleListVal when element.ValCase == Value.ValOneofCase.DoubleVal: list.DoubleListVal.Val.Add(element.DoubleVal); break;
            case Value.ValOneofCase.FloatListVal when element.ValCase == Value.ValOneofCase.FloatVal: list.FloatListVal.Val.Add(element.FloatVal); break;
            case Value.ValOneofCase.BoolListVal when element.ValCase == Value.ValOneofCase.BoolVal: list.BoolListVal.Val.Add(element.BoolVal); break;
            case Value.ValOneofCase.StringListVal when element.ValCase == Value.ValOneofCase.StringVal: list.StringListVal.Val.Add(element.StringVal); break;
            case Value.ValOneofCase.BytesListVal when element.ValCase == Value.ValOneofCase.BytesVal: list.BytesListVal.Val.Add(element.BytesVal); break;
            case Value.ValOneofCase.UnixTimestampMicrosListVal when element.ValCase == Value.ValOneofCase.UnixTimestampMicrosVal:
                list.UnixTimestampMicrosListVal.Val.Add(element.UnixTimestampMicrosVal);
                break;
            default:
                throw new GranaryClientException(
                    ErrorCodes.InvalidArgument,
                    $"{field}.{column}[{row}]: a list's items must all be of one type, and a null item has no place in a list ({Describe(item)} after items of another kind).",
                    httpStatus: null,
                    isTransient: false,
                    mayHaveReachedServer: false);
        }
    }

    private static long Micros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TicksPerMicrosecond;

    // A DateTime of unspecified kind is taken as UTC, as the HTTP transport writes it: servers keep every time in UTC.
    private static DateTimeOffset Utc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Unspecified => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
        _ => new DateTimeOffset(time.ToUniversalTime()),
    };

    private static GranaryClientException Unsupported(object? value, string field, string column, int row) =>
        new(
            ErrorCodes.InvalidArgument,
            $"{field}.{column}[{row}]: {Describe(value)} is not a value the feature server takes; use long, int, double, float, bool, string, byte[], DateTimeOffset or DateTime, or an array of one of them.",
            httpStatus: null,
            isTransient: false,
            mayHaveReachedServer: false);

    private static string Describe(object? value) => value is null ? "null" : $"a {value.GetType().Name}";
}
