using Granary.OnlineServing;
using Granary.Core.Values;

namespace Granary.Tests.OnlineServing;

public sealed class OnlineFeaturesResponseTests
{
    [Theory]
    [InlineData(1, 11)]       // one block
    [InlineData(1_500, 5)]    // two columns per block, the last block short
    [InlineData(4_000, 3)]    // one column per block, each over the block size
    public void Every_cell_reads_back_as_written_whatever_the_blocks(int rows, int columns)
    {
        var names = Enumerable.Range(0, columns).Select(c => $"c{c}").ToArray();
        var response = new OnlineFeaturesResponse(names, rows);
        for (var c = 0; c < columns; c++)
        {
            for (var r = 0; r < rows; r++)
            {
                response.Set(c, r, FeatureValue.Int64((c * 1_000_000L) + r), (FeatureStatus)((c + r) % 4), (c * 7L) + r);
            }
        }

        Assert.Equal(columns, response.Results.Count);
        for (var c = 0; c < columns; c++)
        {
            var column = response.Results[c];
            Assert.Equal(names[c], column.Name);
            Assert.Equal(rows, column.Values.Length);
            for (var r = 0; r < rows; r++)
            {
                Assert.Equal((c * 1_000_000L) + r, column.Values[r].AsInt64());
                Assert.Equal((FeatureStatus)((c + r) % 4), column.Statuses[r]);
                Assert.Equal((c * 7L) + r, column.EventTimestamps[r]);
            }
        }

        Assert.Equal(names[^1], response[names[^1]].Name);
    }
}
