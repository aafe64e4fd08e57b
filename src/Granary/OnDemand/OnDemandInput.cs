using Granary.Core.Model;

namespace Granary.OnDemand;

/// <summary>
/// One input of an on-demand view: a request field (<see cref="Source"/> null) or a source view's feature, named as
/// expressions name it (<c>amount</c>, <c>customer_txn.avg_amount_7d</c>).
/// </summary>
internal sealed record OnDemandInput(string Name, FeatureType Type, FeatureReference? Source);
