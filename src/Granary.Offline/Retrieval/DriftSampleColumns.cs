using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Quality.Profiles;

namespace Granary.Offline.Retrieval;

/// <summary>What both engines' drift sample readers share: the kind of each requested feature, by the view's schema.</summary>
internal static class DriftSampleColumns
{
    public static ProfileKind[] KindsOf(DriftSampleRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.SampleSize <= 0)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"A drift sample needs a size above 0; {request.SampleSize} was asked for.");
        }

        var view = request.View;
        var kinds = new ProfileKind[view.Features.Count];
        for (var i = 0; i < kinds.Length; i++)
        {
            var name = view.Features[i];
            var field = view.View.Schema.FirstOrDefault(f => f.Name == name)
                ?? throw new GranaryException(ErrorCodes.UnknownReference, $"Feature view '{view.View.Name}' has no feature '{name}' to sample.");
            kinds[i] = ProfileKinds.Of(field.Type);
        }

        return kinds;
    }
}
