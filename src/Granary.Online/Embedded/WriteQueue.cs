namespace Granary.Online.Embedded;

/// <summary>
/// The embedded store's write queue, bounded by rows: callers add batches without blocking; the single writer takes
/// everything queued at once (one group, one transaction, one fsync). A batch that does not fit while others are
/// queued waits, in arrival order, until the writer takes the queue (back-pressure: its task simply completes later);
/// a batch larger than the whole capacity is admitted alone into an empty queue, so it never waits forever.
/// A call can be cancelled until the writer takes it, never after.
/// </summary>
internal sealed class WriteQueue
{
    // A plain monitor, not System.Threading.Lock: the writer thread waits on it for work.
    private readonly object _lock = new();
    private readonly LinkedList<QueuedWrite> _waiting = new();
    private readonly List<QueuedWrite> _queued = [];
    private long _queuedRows;
    private bool _closed;

    public WriteQueue(int capacityRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityRows, 1);
        CapacityRows = capacityRows;
    }

    /// <summary>How many rows may be queued before callers wait.</summary>
    public int CapacityRows { get; }

    /// <summary>Rows queued for the next group.</summary>
    public long QueuedRows
    {
        get
        {
            lock (_lock)
            {
                return _queuedRows;
            }
        }
    }

    /// <summary>Calls queued for the next group, and calls waiting for room.</summary>
    public (int Queued, int Waiting) Calls
    {
        get
        {
            lock (_lock)
            {
                return (_queued.Count, _waiting.Count);
            }
        }
    }

    /// <summary>Queues <paramref name="write"/>, or lets it wait for room; false once the queue is closed.</summary>
    public bool TryAdd(QueuedWrite write)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            // Nobody overtakes a waiting call: arrival order is the order last-write-wins applies.
            if (_waiting.Count == 0 && Fits(write.Rows))
            {
                Enqueue(write);
            }
            else
            {
                write.State = QueuedWriteState.Waiting;
                write.WaitingNode = _waiting.AddLast(write);
            }

            return true;
        }
    }

    /// <summary>
    /// Removes <paramref name="write"/> if the writer has not taken it; true when removed (the caller then cancels its
    /// task), false when it is taken and will complete.
    /// </summary>
    public bool TryRemove(QueuedWrite write)
    {
        lock (_lock)
        {
            switch (write.State)
            {
                case QueuedWriteState.Waiting:
                    _waiting.Remove(write.WaitingNode!);
                    write.WaitingNode = null;
                    break;
                case QueuedWriteState.Queued:
                    _queued.Remove(write);
                    _queuedRows -= write.Rows;
                    AdmitWaiting();
                    break;
                default:
                    return false;
            }

            write.State = QueuedWriteState.Cancelled;
            return true;
        }
    }

    /// <summary>
    /// For the writer: waits until something is queued, then moves every queued call, in arrival order, into
    /// <paramref name="group"/> and lets waiting calls into the emptied queue. False when the queue is closed and
    /// drained: nothing will come any more.
    /// </summary>
    public bool TakeAll(List<QueuedWrite> group)
    {
        lock (_lock)
        {
            while (_queued.Count == 0)
            {
                if (_closed && _waiting.Count == 0)
                {
                    return false;
                }

                if (_waiting.Count > 0)
                {
                    AdmitWaiting();
                    continue;
                }

                Monitor.Wait(_lock);
            }

            foreach (var write in _queued)
            {
                write.State = QueuedWriteState.Taken;
            }

            group.AddRange(_queued);
            _queued.Clear();
            _queuedRows = 0;
            AdmitWaiting();
            return true;
        }
    }

    /// <summary>Refuses new calls; the writer still drains every call already queued or waiting, then stops.</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
            Monitor.PulseAll(_lock);
        }
    }

    private bool Fits(int rows) => _queuedRows == 0 || _queuedRows + rows <= CapacityRows;

    private void Enqueue(QueuedWrite write)
    {
        write.State = QueuedWriteState.Queued;
        _queued.Add(write);
        _queuedRows += write.Rows;
        if (_queued.Count == 1)
        {
            Monitor.Pulse(_lock);
        }
    }

    private void AdmitWaiting()
    {
        while (_waiting.First is { } first && Fits(first.Value.Rows))
        {
            _waiting.RemoveFirst();
            first.Value.WaitingNode = null;
            Enqueue(first.Value);
        }
    }
}
