using Granary.Core.Model;

namespace Granary.Quality.Validation;

/// <summary>A cell of the rows a validator reads: the column's name and type, in the order of the row's cells.</summary>
internal readonly record struct ValidatedColumn(string Name, FeatureType Type);
