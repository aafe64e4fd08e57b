using Granary.Core.Values;

namespace Granary.Quality.Validation;

/// <summary>Compares rows of one batch, by index, on their entity (the key cells) and event time: what <c>unique</c> groups by.</summary>
internal sealed class RowKeyComparer(in ValidationBatch batch, int keys) : IEqualityComparer<int>
{
    private readonly FeatureValue[] _cells = batch.Cells;
    private readonly int _stride = batch.Stride;
    private readonly long[] _times = batch.EventMicros;

    public bool Equals(int x, int y)
    {
        if (_times[x] != _times[y])
        {
            return false;
        }

        int a = x * _stride, b = y * _stride;
        for (var k = 0; k < keys; k++)
        {
            if (!_cells[a + k].Equals(_cells[b + k]))
            {
                return false;
            }
        }

        return true;
    }

    public int GetHashCode(int row)
    {
        var hash = new HashCode();
        hash.Add(_times[row]);
        var first = row * _stride;
        for (var k = 0; k < keys; k++)
        {
            hash.Add(_cells[first + k].GetHashCode());
        }

        return hash.ToHashCode();
    }
}
