namespace BatchNormLab.Data;

/// <summary>Fashion-MNIST's two splits, as loaded by <see cref="FashionMnist.Load"/>.</summary>
/// <param name="Train">60,000 training images (N x 784 in [0, 1]) and labels.</param>
/// <param name="Test">10,000 test images and labels.</param>
/// <param name="Directory">The data directory they were read from.</param>
public sealed record FashionMnistData(Dataset Train, Dataset Test, string Directory);
