using BatchNormLab.Data;
using BatchNormLab.Layers;
using BatchNormLab.Models;
using BatchNormLab.Normalization;
using BatchNormLab.Training;

namespace BatchNormLab.Tests.Training;

public class EvaluatorRenormTests
{
    [Fact]
    public void Training_mode_evaluation_leaves_batch_renorm_moving_statistics_untouched()
    {
        var data = SyntheticData.GaussianBlobs(classes: 3, dimensions: 6, perClass: 30, seed: 2);
        var model = Mlp<float>.Create(new MlpOptions { Sizes = [6, 8, 3], Normalization = NormalizationKind.BatchRenorm }, seed: 4);
        var renorm = Assert.IsType<BatchRenorm<float>>(model.Normalizations[0]);
        var mean = (float[])renorm.RunningMean.Clone();
        var std = (float[])renorm.RunningStd.Clone();
        var step = renorm.Step;

        Evaluator.Evaluate(model, data, Mode.Training, batchSize: 30);

        Assert.Equal(mean, renorm.RunningMean);
        Assert.Equal(std, renorm.RunningStd);
        Assert.Equal(step, renorm.Step);
    }
}
