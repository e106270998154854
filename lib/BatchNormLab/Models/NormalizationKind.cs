namespace BatchNormLab.Models;

/// <summary>What an <see cref="Mlp{T}"/> puts between each hidden linear map and its nonlinearity.</summary>
public enum NormalizationKind
{
    /// <summary>Nothing: u = xW + b goes straight into the nonlinearity.</summary>
    None,

    /// <summary>Batch norm on u = xW (the dense layer then has no bias; β replaces it).</summary>
    BatchNorm,

    /// <summary>Batch renormalisation on u = xW (Ioffe 2017; no dense bias): batch norm corrected by r, d towards the moving averages.</summary>
    BatchRenorm,

    /// <summary>Layer norm on u = xW (no dense bias): each example normalised over its own features, no batch statistics.</summary>
    LayerNorm,
}
