namespace BatchNormLab.Models;

/// <summary>What an <see cref="Mlp{T}"/> puts between each hidden linear map and its nonlinearity.</summary>
public enum NormalizationKind
{
    /// <summary>Nothing: u = xW + b goes straight into the nonlinearity.</summary>
    None,

    /// <summary>Batch norm on u = xW (the dense layer then has no bias; β replaces it).</summary>
    BatchNorm,
}
