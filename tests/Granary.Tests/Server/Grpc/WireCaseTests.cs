using Granary.Server.Grpc;
using FeastValue = Feast.Types.Value;
using GranaryValue = Granary.Contracts.Grpc.V1.Value;

namespace Granary.Tests.Server.Grpc;

/// <summary>Both wires' values number their kinds as <see cref="WireCase"/> does, which the shared conversion relies on.</summary>
public sealed class WireCaseTests
{
    [Fact]
    public void Every_shared_kind_has_its_field_number_on_both_wires()
    {
        Assert.All(Enum.GetValues<WireCase>().Where(c => c != WireCase.None), kind =>
        {
            var feast = FeastValue.Descriptor.FindFieldByNumber((int)kind);
            var granary = GranaryValue.Descriptor.FindFieldByNumber((int)kind);

            Assert.NotNull(feast);
            Assert.NotNull(granary);

            // Named alike but for the unit of timestamps: unix_timestamp_val (seconds), unix_timestamp_micros_val.
            Assert.Equal(feast.Name, granary.Name.Replace("_micros", "", StringComparison.Ordinal));
        });
    }
}
