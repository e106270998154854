namespace BatchNormLab.Training;

/// <summary>
/// The trainer's judgement of a run, from the training batches it already has: divergence (non-finite
/// values), an exploding loss (a window's mean loss above 3 ln K), and no learning (the last window's
/// accuracy within 5 points of chance, 1/K). Each kind is reported once, at the step it was noticed.
/// </summary>
internal sealed class TrainingHealth(int classes, double learningRate, int steps)
{
    private readonly double _chanceLoss = Math.Log(classes);
    private readonly List<TrainingProblem> _problems = [];
    private double _windowLoss;
    private long _windowCorrect, _windowExamples;
    private int _windowSteps;
    private bool _exploded;
    private double _lastWindowAccuracy = double.NaN, _lastWindowLoss = double.NaN;

    public IReadOnlyList<TrainingProblem> Problems => _problems;

    public TrainingProblem? Latest => _problems.Count == 0 ? null : _problems[^1];

    public void Step(int t, float loss, int correct, int examples)
    {
        _windowLoss += loss;
        _windowCorrect += correct;
        _windowExamples += examples;
        if (++_windowSteps < Math.Min(Trainer.HealthWindow, steps)) return;
        _lastWindowLoss = _windowLoss / _windowSteps;
        _lastWindowAccuracy = (double)_windowCorrect / _windowExamples;
        if (!_exploded && _lastWindowLoss > 3 * _chanceLoss)
        {
            _exploded = true;
            _problems.Add(new TrainingProblem(TrainingProblemKind.Exploded, t + 1,
                $"The training loss exploded: {_lastWindowLoss:0.##} on average over steps {t + 2 - _windowSteps}–{t + 1}, " +
                $"more than 3 times chance level (ln {classes} = {_chanceLoss:0.###}). The learning rate {learningRate:G4} is probably too large; try 10 times smaller."));
        }
        _windowLoss = 0;
        _windowCorrect = _windowExamples = _windowSteps = 0;
    }

    public void Diverged(int t, float loss, bool outputs = false) => _problems.Add(new TrainingProblem(TrainingProblemKind.Diverged, t,
        (outputs ? $"The network's outputs became non-finite at step {t}"
            : float.IsFinite(loss) ? $"Update {t + 1} made a parameter non-finite" : $"The training loss became {loss} at step {t}") +
        $" (learning rate {learningRate:G4}); training stopped there. Try a learning rate 10 times smaller."));

    public void Finish(int done)
    {
        if (double.IsNaN(_lastWindowAccuracy) || done < Trainer.HealthWindow) return;
        if (_lastWindowAccuracy <= 1.0 / classes + 0.05)
            _problems.Add(new TrainingProblem(TrainingProblemKind.AtChance, done,
                $"After {done:N0} steps the network is still at chance: {_lastWindowAccuracy:P1} of the last {Trainer.HealthWindow} training batches' examples right " +
                $"(chance is {1.0 / classes:P0}), loss {_lastWindowLoss:0.###}. With learning rate {learningRate:G4} it has not learned: " +
                "if the loss is far above ln K the rate is too large (saturated units); if it sits near ln K the rate is too small or training too short."));
    }
}
