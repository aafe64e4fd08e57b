namespace Granary.OnDemand;

/// <summary>
/// One on-demand view as a query uses it: per input, the stored feature it reads (-1 for a request field), and the
/// output columns it fills with which of its features.
/// </summary>
internal sealed record OnDemandViewRead(OnDemandViewPlan Plan, int[] StoredInputs, (int Column, int Feature)[] Outputs);
