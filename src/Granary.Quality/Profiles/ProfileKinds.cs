using Granary.Core.Model;

namespace Granary.Quality.Profiles;

internal static class ProfileKinds
{
    public static ProfileKind Of(FeatureType type) => type switch
    {
        { IsList: true } => ProfileKind.Other,
        { Kind: ScalarKind.Int32 or ScalarKind.Int64 or ScalarKind.Float32 or ScalarKind.Float64 } => ProfileKind.Numeric,
        { Kind: ScalarKind.String or ScalarKind.Bool } => ProfileKind.Categorical,
        _ => ProfileKind.Other,
    };
}
