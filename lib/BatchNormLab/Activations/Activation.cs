namespace BatchNormLab.Activations;

/// <summary>The nonlinearities the library offers.</summary>
public enum Activation
{
    /// <summary>σ(x) = 1/(1 + e^(−x)), the paper's Figure 1 choice.</summary>
    Sigmoid,

    /// <summary>max(0, x).</summary>
    ReLU,

    /// <summary>tanh(x).</summary>
    Tanh,
}
