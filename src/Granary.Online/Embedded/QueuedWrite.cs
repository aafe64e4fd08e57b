namespace Granary.Online.Embedded;

/// <summary>
/// One <see cref="EmbeddedOnlineStore.WriteAsync"/> or <see cref="EmbeddedOnlineStore.CompareAndSetStatesAsync"/> call
/// waiting for the background writer: the caller's batch (records, or state compare-and-sets) and the task it awaits,
/// completed with the batch's own count (or the group's error) after the commit that holds it.
/// Derives from its completion source so a call allocates one object besides its task.
/// </summary>
internal sealed class QueuedWrite : TaskCompletionSource<int>
{
    // Continuations never run on the writer thread: a caller's code must not delay the next group's fsync.
    public QueuedWrite(IReadOnlyList<OnlineWrite> writes, WriteQueue queue, CancellationToken cancellationToken)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        Writes = writes;
        Rows = writes.Count;
        Queue = queue;
        CancellationToken = cancellationToken;
    }

    public QueuedWrite(IReadOnlyList<AggregateStateWrite> stateWrites, bool[] applied, WriteQueue queue, CancellationToken cancellationToken)
        : this([], queue, cancellationToken)
    {
        StateWrites = stateWrites;
        Applied = applied;
        Rows = stateWrites.Count;
    }

    /// <summary>The records to write; empty for a batch of states.</summary>
    public IReadOnlyList<OnlineWrite> Writes { get; }

    /// <summary>The states to compare and set, or null for a batch of records.</summary>
    public IReadOnlyList<AggregateStateWrite>? StateWrites { get; }

    /// <summary>The caller's slots for which states were applied, set by the writer after the commit.</summary>
    public bool[]? Applied { get; }

    /// <summary>Rows the batch may append: what it counts for in the queue's capacity.</summary>
    public int Rows { get; }

    public WriteQueue Queue { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>Where the call is; changed only under the queue's lock.</summary>
    public QueuedWriteState State { get; set; }

    /// <summary>Its place among the calls waiting for room (back-pressure), while <see cref="QueuedWriteState.Waiting"/>.</summary>
    public LinkedListNode<QueuedWrite>? WaitingNode { get; set; }

    /// <summary>How many of its writes won (or states applied), set by the writer inside the group's transaction.</summary>
    public int Written { get; set; }

    public CancellationTokenRegistration Registration { get; set; }
}

/// <summary>The life of a <see cref="QueuedWrite"/>: waiting for room, queued, then taken by the writer or cancelled.</summary>
internal enum QueuedWriteState
{
    Waiting,
    Queued,
    Taken,
    Cancelled,
}
