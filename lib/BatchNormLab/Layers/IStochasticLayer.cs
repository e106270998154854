namespace BatchNormLab.Layers;

/// <summary>
/// A layer that draws random numbers in its training-mode forward pass (e.g. <see cref="Normalization.BatchNormNoise{T}"/>).
/// A measurement that replays a step's batch at other weights holds the draw, so that it compares
/// gradients of one and the same function.
/// </summary>
public interface IStochasticLayer
{
    /// <summary>While true, training-mode forward passes reuse the last draw instead of drawing anew.</summary>
    bool HoldNoise { get; set; }
}
