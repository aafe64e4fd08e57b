using Granary.Contracts.Errors;
using Granary.Core.Errors;

namespace Granary.Offline.Retrieval;

/// <summary>
/// The result column of every requested feature of a <see cref="PointInTimeRequest"/>, the same in every engine: the
/// feature's name, or <c>view__feature</c> with full feature names.
/// </summary>
internal static class FeatureColumnNames
{
    /// <summary>The output column of every requested feature, in request order; clashes are a user error.</summary>
    public static IReadOnlyList<string> Of(PointInTimeRequest request)
    {
        var names = new List<string>();
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var view in request.Views)
        {
            foreach (var feature in view.Features)
            {
                var name = request.FullFeatureNames ? $"{view.View.Name}__{feature}" : feature;
                if (!owners.TryAdd(name, view.View.Name))
                {
                    var hint = request.FullFeatureNames ? "" : " Request full feature names to tell them apart.";
                    throw new GranaryException(
                        ErrorCodes.InvalidArgument,
                        $"Feature column '{name}' is requested from both '{owners[name]}' and '{view.View.Name}'.{hint}");
                }

                names.Add(name);
            }
        }

        return names;
    }
}
