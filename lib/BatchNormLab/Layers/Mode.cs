namespace BatchNormLab.Layers;

/// <summary>
/// Which computation a layer runs. Batch norm is the layer that cares: batch statistics in
/// <see cref="Training"/>, running estimates in <see cref="Inference"/>. Always set explicitly.
/// </summary>
public enum Mode
{
    /// <summary>Normalise with the current minibatch's statistics and update the running estimates.</summary>
    Training,

    /// <summary>Normalise with the running estimates; one example's output is independent of its batch.</summary>
    Inference,
}
