namespace Granary.Offline.Retrieval;

/// <summary>What an offline engine's failure says about who can fix it.</summary>
internal enum EngineFailureKind
{
    /// <summary>Not recognized: a bug of ours, surfaced as it is.</summary>
    Unknown,

    /// <summary>The engine or a source cannot serve now (connection lost, server shutting down, out of resources, I/O): retrying may succeed.</summary>
    Unavailable,

    /// <summary>A statement ran past its time limit.</summary>
    Timeout,

    /// <summary>The request or the definitions ask for something the engine cannot do (a column that is absent, a value that does not convert).</summary>
    InvalidInput,
}
