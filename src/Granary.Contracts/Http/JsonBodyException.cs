using Granary.Contracts.Errors;

namespace Granary.Contracts.Http;

/// <summary>
/// A request body that does not satisfy its contract: <see cref="ErrorCodes.InvalidJson"/> when it is not a JSON
/// object, <see cref="ErrorCodes.InvalidArgument"/> when a field is missing or of the wrong shape. The message says
/// what and where, naming the field; a server answers it as it answers any failure with a stable code.
/// </summary>
internal sealed class JsonBodyException : Exception
{
    public JsonBodyException(string code, string message)
        : base(message)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        Code = code;
    }

    public JsonBodyException()
        : this(ErrorCodes.InvalidJson, "The request body is not valid JSON.")
    {
    }

    public JsonBodyException(string message)
        : this(ErrorCodes.InvalidArgument, message)
    {
    }

    public JsonBodyException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = ErrorCodes.InvalidArgument;
    }

    /// <summary>One of <see cref="ErrorCodes"/>.</summary>
    public string Code { get; }
}
