using Granary.Contracts.Grpc.V1;
using Granary.Core.Time;

namespace Granary.Tests.Server.Grpc;

/// <summary>Short constructors for wire values in tests.</summary>
internal static class Wire
{
    public static Value Int64(long value) => new() { Int64Val = value };

    public static Value Double(double value) => new() { DoubleVal = value };

    public static Value String(string value) => new() { StringVal = value };

    public static Value Bool(bool value) => new() { BoolVal = value };

    public static Value Null() => new() { NullVal = Granary.Contracts.Grpc.V1.Null.Null };

    public static Value Timestamp(DateTimeOffset at) => new() { UnixTimestampMicrosVal = UtcMicros.From(at) };

    public static RepeatedValue Column(params Value[] values)
    {
        var column = new RepeatedValue();
        column.Val.AddRange(values);
        return column;
    }

    /// <summary>A user_stats push or write: one row per user, all at <paramref name="at"/>.</summary>
    public static void UserRows(Google.Protobuf.Collections.MapField<string, RepeatedValue> columns, DateTimeOffset at, params (long User, long Orders, double Spend)[] rows)
    {
        var users = new RepeatedValue();
        var times = new RepeatedValue();
        var orders = new RepeatedValue();
        var spend = new RepeatedValue();
        foreach (var (user, count, amount) in rows)
        {
            users.Val.Add(Int64(user));
            times.Val.Add(Timestamp(at));
            orders.Val.Add(Int64(count));
            spend.Val.Add(Double(amount));
        }

        columns["user_id"] = users;
        columns["event_timestamp"] = times;
        columns["orders_7d"] = orders;
        columns["spend_7d"] = spend;
    }
}
