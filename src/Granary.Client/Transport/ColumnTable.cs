namespace Granary.Client;

/// <summary>
/// The columns of a request, built by whole columns or row by row; every column has the same length, checked as
/// they are added so that a mistake is reported where it is made, not by the server.
/// </summary>
internal sealed class ColumnTable
{
    private readonly List<ValueColumn> _columns = [];
    private readonly string _what;

    public ColumnTable(string what)
    {
        _what = what;
    }

    public IReadOnlyList<ValueColumn> Columns => _columns;

    public int RowCount => _columns.Count == 0 ? 0 : _columns[0].Values.Count;

    public void AddColumn<T>(string name, IEnumerable<T> values)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(values);
        if (Find(name) is not null)
        {
            throw new ArgumentException($"The {_what} column '{name}' is given twice.", nameof(name));
        }

        var list = new List<object?>();
        foreach (var value in values)
        {
            list.Add(value);
        }

        if (_columns.Count > 0 && list.Count != RowCount)
        {
            throw new ArgumentException(
                $"The {_what} column '{name}' has {list.Count} values, but '{_columns[0].Name}' has {RowCount}: every column needs one value per row.", nameof(values));
        }

        _columns.Add(new ValueColumn(name, list));
    }

    /// <summary>A column already checked (a batch's slice of a checked request): taken as it is, not copied.</summary>
    public void AddChecked(string name, List<object?> values) => _columns.Add(new ValueColumn(name, values));

    public void AddRow((string Column, object? Value)[] row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Length == 0)
        {
            throw new ArgumentException($"A {_what} row needs at least one column.", nameof(row));
        }

        if (_columns.Count == 0)
        {
            var created = new List<ValueColumn>(row.Length);
            foreach (var (column, _) in row)
            {
                ArgumentException.ThrowIfNullOrEmpty(column, nameof(row));
                foreach (var other in created)
                {
                    if (string.Equals(other.Name, column, StringComparison.Ordinal))
                    {
                        throw new ArgumentException($"The {_what} column '{column}' is given twice in one row.", nameof(row));
                    }
                }

                created.Add(new ValueColumn(column, []));
            }

            _columns.AddRange(created);
        }
        else if (row.Length != _columns.Count)
        {
            throw new ArgumentException($"A {_what} row has {row.Length} columns, but the rows before it have {_columns.Count}: give every row the same columns.", nameof(row));
        }

        // Checked in full before any value is added, so that a refused row leaves the table as it was.
        var targets = new ValueColumn[row.Length];
        for (var i = 0; i < row.Length; i++)
        {
            var target = Find(row[i].Column)
                ?? throw new ArgumentException($"The {_what} column '{row[i].Column}' is not among the columns of the rows before it.", nameof(row));
            if (Array.IndexOf(targets, target, 0, i) >= 0)
            {
                throw new ArgumentException($"The {_what} column '{row[i].Column}' is given twice in one row.", nameof(row));
            }

            targets[i] = target;
        }

        for (var i = 0; i < row.Length; i++)
        {
            targets[i].Values.Add(row[i].Value);
        }
    }

    private ValueColumn? Find(string name)
    {
        foreach (var column in _columns)
        {
            if (string.Equals(column.Name, name, StringComparison.Ordinal))
            {
                return column;
            }
        }

        return null;
    }
}
