namespace Granary.OnDemand;

/// <summary>
/// One on-demand view as a query uses it: per input, the stored feature it reads, <see cref="Request"/> for request
/// data, or <see cref="Unused"/> when no requested feature reads it (it stays null); and the output columns it fills
/// with which of its features.
/// </summary>
internal sealed record OnDemandViewRead(OnDemandViewPlan Plan, int[] StoredInputs, (int Column, int Feature)[] Outputs)
{
    public const int Request = -1;

    public const int Unused = -2;
}
