namespace Granary.Online.Embedded;

/// <summary>
/// One <see cref="EmbeddedOnlineStore.WriteAsync"/> call waiting for the background writer: the caller's batch and the
/// task it awaits, completed with the batch's own count (or the group's error) after the commit that holds it.
/// Derives from its completion source so a call allocates one object besides its task.
/// </summary>
internal sealed class QueuedWrite : TaskCompletionSource<int>
{
    // Continuations never run on the writer thread: a caller's code must not delay the next group's fsync.
    public QueuedWrite(IReadOnlyList<OnlineWrite> writes, WriteQueue queue, CancellationToken cancellationToken)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        Writes = writes;
        Queue = queue;
        CancellationToken = cancellationToken;
    }

    public IReadOnlyList<OnlineWrite> Writes { get; }

    public WriteQueue Queue { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>Where the call is; changed only under the queue's lock.</summary>
    public QueuedWriteState State { get; set; }

    /// <summary>Its place among the calls waiting for room (back-pressure), while <see cref="QueuedWriteState.Waiting"/>.</summary>
    public LinkedListNode<QueuedWrite>? WaitingNode { get; set; }

    /// <summary>How many of its writes won, set by the writer inside the group's transaction.</summary>
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
