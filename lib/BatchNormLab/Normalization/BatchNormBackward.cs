namespace BatchNormLab.Normalization;

/// <summary>Which of the two equivalent backward computations <see cref="BatchNorm{T}"/> runs.</summary>
public enum BatchNormBackward
{
    /// <summary>The closed form: one pass, needs only x̂ and 1/√(σ²_B + ε). The default.</summary>
    ClosedForm,

    /// <summary>Node by node along the computation graph, the paper's printed equations.</summary>
    Graph,
}
