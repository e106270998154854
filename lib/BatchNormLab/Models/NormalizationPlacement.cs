namespace BatchNormLab.Models;

/// <summary>Where an <see cref="Mlp{T}"/> puts each hidden layer's normalisation relative to its nonlinearity g.</summary>
public enum NormalizationPlacement
{
    /// <summary>
    /// The paper's placement (§3.2): normalise x = Wu, then g; the dense layer has no bias (β replaces it).
    /// Hidden layer: g(BN(uW)).
    /// </summary>
    BeforeActivation,

    /// <summary>
    /// Normalise the nonlinearity's output: BN(g(uW + b)); the dense layer keeps its bias, which now shifts g's input.
    /// </summary>
    AfterActivation,
}
