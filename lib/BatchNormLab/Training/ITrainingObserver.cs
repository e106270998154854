using BatchNormLab.Data;
using BatchNormLab.Models;
using BatchNormLab.Optimizers;

namespace BatchNormLab.Training;

/// <summary>
/// Something that watches a training run from inside the step (probes, gradient statistics, a
/// learning-rate schedule). Each hook defaults to doing nothing. A hook's <c>step</c> counts the
/// updates done before this one: the hooks of step t see the network after t updates.
/// </summary>
/// <remarks>The hooks run on the training thread inside the hot loop: keep them cheap on the steps they skip.</remarks>
public interface ITrainingObserver
{
    /// <summary>Before step <paramref name="step"/> draws its batch (e.g. to change η).</summary>
    void BeforeStep(int step, Sgd<float> sgd)
    {
    }

    /// <summary>After the forward pass and the loss: every layer holds this batch's forward values.</summary>
    void AfterForward(int step, Sequential<float> model, Batch batch, float loss)
    {
    }

    /// <summary>After the backward pass: every parameter's <c>Grad</c> holds this batch's gradient, not yet applied.</summary>
    void AfterBackward(int step, Sequential<float> model)
    {
    }

    /// <summary>After the SGD update of step <paramref name="step"/>.</summary>
    void AfterUpdate(int step, Sequential<float> model)
    {
    }
}
