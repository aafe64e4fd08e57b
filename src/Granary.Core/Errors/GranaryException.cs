using Granary.Contracts.Errors;

namespace Granary.Core.Errors;

/// <summary>
/// The one exception type Granary throws for failures a user can act on. <see cref="Code"/> is stable
/// (see <see cref="ErrorCodes"/>); the message says what went wrong, where, and how to fix it.
/// </summary>
public class GranaryException : Exception
{
    public GranaryException(string code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    public GranaryException()
        : this(ErrorCodes.InvalidArgument, "Granary operation failed.")
    {
    }

    public GranaryException(string message)
        : this(ErrorCodes.InvalidArgument, message)
    {
    }

    public GranaryException(string message, Exception innerException)
        : this(ErrorCodes.InvalidArgument, message, innerException)
    {
    }

    /// <summary>The stable error code.</summary>
    public string Code { get; }
}
