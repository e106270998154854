using System.Diagnostics;
using BatchNormLab.Data;
using BatchNormLab.Layers;
using BatchNormLab.Losses;
using BatchNormLab.Models;
using BatchNormLab.Optimizers;

namespace BatchNormLab.Training;

/// <summary>
/// The training loop: minibatch SGD on softmax cross-entropy for an <see cref="Mlp{T}"/>, with test
/// evaluations at intervals, probes of every hidden layer's nonlinearity input, and a progress callback.
/// </summary>
/// <remarks>
/// One step: draw a batch, forward in training mode, loss, (probe), backward, SGD update. The loop adds
/// no allocation per step. A probe summarises a copy of each layer's input (6,000 values at batch 60
/// and 100 units; percentiles by selection), costing roughly a third of a training step at batch 60
/// today, so probe every k steps (k = 50 over 50,000 steps gives 1,000 points per curve for about 1 %).
/// The only randomness is the batch source's (seeded) and the model's initial weights (seeded): same
/// seeds, bit-identical history.
/// </remarks>
public static class Trainer
{
    /// <summary>Trains <paramref name="model"/> in place and returns what was recorded.</summary>
    /// <param name="model">The network (its weights are updated).</param>
    /// <param name="batches">The minibatches, e.g. a <see cref="MinibatchIterator"/>.</param>
    /// <param name="test">Evaluated at the scheduled steps; null = no test evaluations (accuracies NaN).</param>
    /// <param name="options">Steps, learning rate, schedules.</param>
    /// <param name="beforeStep">Optional hook called with t before update t + 1 (e.g. to change the learning rate).</param>
    public static TrainingHistory Train(Mlp<float> model, IBatchSource batches, Dataset? test, TrainingOptions options, Action<int, Sgd<float>>? beforeStep = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(options);
        Validate(model, batches, test, options);

        var steps = options.Steps;
        var evalSteps = EvaluationSchedule(options);
        var probeSteps = ProbeSchedule(options);
        var isHistogram = new bool[steps];
        foreach (var s in options.HistogramSteps) isHistogram[s] = true;

        var loss = new SoftmaxCrossEntropy<float>();
        var sgd = new Sgd<float>(options.LearningRate, options.Momentum);
        var evaluator = new Evaluator();
        var probes = new ProbeRecorder(model, options, probeSteps.Length);
        var stepLoss = new float[steps];
        var trainLoss = new double[evalSteps.Length];
        var trainAccuracy = new double[evalSteps.Length];
        var testAccuracy = new double[evalSteps.Length];
        var testLoss = new double[evalSteps.Length];
        var extra = options.AdditionalEvaluations.Select(e => new EvaluationSeries(e, new double[evalSteps.Length], new double[evalSteps.Length])).ToArray();

        var start = Stopwatch.GetTimestamp();
        long evalTicks = 0, probeTicks = 0;
        int nextEval = 0, nextProbe = 0;
        double intervalLoss = 0, reportLoss = 0;
        long intervalCorrect = 0, intervalExamples = 0;
        int intervalSteps = 0, reportSteps = 0;
        var latestAccuracy = double.NaN;
        int? diverged = null;
        var done = 0;

        void Evaluate(int k)
        {
            var t0 = Stopwatch.GetTimestamp();
            trainLoss[k] = intervalSteps == 0 ? double.NaN : intervalLoss / intervalSteps;
            trainAccuracy[k] = intervalExamples == 0 ? double.NaN : (double)intervalCorrect / intervalExamples;
            intervalLoss = 0;
            intervalCorrect = intervalExamples = intervalSteps = 0;
            if (test is not null)
            {
                var e = evaluator.Run(model, test, options.EvaluationMode, options.EvaluationBatchSize);
                testAccuracy[k] = latestAccuracy = e.Accuracy;
                testLoss[k] = e.Loss;
            }
            else
            {
                testAccuracy[k] = testLoss[k] = double.NaN;
            }
            foreach (var x in extra)
            {
                var e = evaluator.Run(model, x.Spec.Data, x.Spec.Mode, x.Spec.BatchSize);
                x.Accuracy[k] = e.Accuracy;
                x.Loss[k] = e.Loss;
            }
            evalTicks += Stopwatch.GetTimestamp() - t0;
        }

        void Report()
        {
            if (options.Progress is null) return;
            var l = reportSteps == 0 ? double.NaN : reportLoss / reportSteps;
            reportLoss = 0;
            reportSteps = 0;
            options.Progress(new TrainingProgress(done, steps, l, latestAccuracy, Stopwatch.GetElapsedTime(start)));
        }

        model.Mode = Mode.Training;
        if (nextEval < evalSteps.Length && evalSteps[nextEval] == 0)
        {
            Evaluate(nextEval++);
            Report();
        }

        for (var t = 0; t < steps; t++)
        {
            beforeStep?.Invoke(t, sgd);
            var batch = batches.Next();
            float l;
            try
            {
                var logits = model.Forward(batch.Images);
                l = loss.Forward(logits, batch.Labels);
                if (!float.IsFinite(l)) throw new ArithmeticException($"Training loss is {l} at step {t}.");
                intervalCorrect += Evaluator.CountCorrect(logits, batch.Labels);
            }
            catch (Exception e) when (options.StopOnDivergence && (e is ArithmeticException || (e is ArgumentException && Overflowed(model, batch))))
            {
                diverged = t;
                break;
            }

            if (nextProbe < probeSteps.Length && probeSteps[nextProbe] == t)
            {
                var t0 = Stopwatch.GetTimestamp();
                probes.Record(nextProbe++);
                if (isHistogram[t]) probes.RecordHistograms(t);
                probeTicks += Stopwatch.GetTimestamp() - t0;
            }
            else if (isHistogram[t])
            {
                var t0 = Stopwatch.GetTimestamp();
                probes.RecordHistograms(t);
                probeTicks += Stopwatch.GetTimestamp() - t0;
            }

            model.Backward(loss.Backward());
            sgd.Step(model.Parameters);

            stepLoss[t] = l;
            intervalLoss += l;
            reportLoss += l;
            intervalExamples += batch.Size;
            intervalSteps++;
            reportSteps++;
            done = t + 1;

            var evaluated = false;
            if (nextEval < evalSteps.Length && evalSteps[nextEval] == done)
            {
                Evaluate(nextEval++);
                evaluated = true;
            }
            if (evaluated || (options.ProgressEvery > 0 && done % options.ProgressEvery == 0)) Report();
        }

        if (diverged is not null)
        {
            probes.Truncate(nextProbe);
            Report();
        }
        return new TrainingHistory
        {
            Steps = done,
            StepLoss = stepLoss[..done],
            EvaluationSteps = evalSteps[..nextEval],
            TrainLoss = trainLoss[..nextEval],
            TrainAccuracy = trainAccuracy[..nextEval],
            TestAccuracy = testAccuracy[..nextEval],
            TestLoss = testLoss[..nextEval],
            Extra = extra.Select(x => x with { Accuracy = x.Accuracy[..nextEval], Loss = x.Loss[..nextEval] }).ToArray(),
            EvaluationMode = options.EvaluationMode,
            EvaluationBatchSize = options.EvaluationBatchSize,
            ProbeSteps = probeSteps[..nextProbe],
            Layers = probeSteps.Length == 0 ? [] : probes.Layers,
            Histograms = probes.Histograms,
            DivergedAtStep = diverged,
            Elapsed = Stopwatch.GetElapsedTime(start),
            EvaluationTime = Stopwatch.GetElapsedTime(0, evalTicks),
            ProbeTime = Stopwatch.GetElapsedTime(0, probeTicks),
        };
    }

    /// <summary>The steps <paramref name="options"/> evaluates at, ascending.</summary>
    public static int[] EvaluationSchedule(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var s = new SortedSet<int> { options.Steps };
        if (options.EvaluateAtStart) s.Add(0);
        if (options.EvaluateEvery > 0)
            for (var t = options.EvaluateEvery; t <= options.Steps; t += options.EvaluateEvery) s.Add(t);
        return [.. s];
    }

    /// <summary>The steps <paramref name="options"/> probes at, ascending.</summary>
    public static int[] ProbeSchedule(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var s = new SortedSet<int>(options.ProbeSteps);
        if (options.ProbeEvery > 0)
            for (var t = 0; t < options.Steps; t += options.ProbeEvery) s.Add(t);
        return [.. s];
    }

    // The layers refuse non-finite values with an ArgumentException. With a well-formed, finite batch
    // (shape and size checked here), such a refusal can only come from overflow inside the network.
    private static bool Overflowed(Mlp<float> model, Batch batch) =>
        batch.Images.Cols == model.InputSize && batch.Size >= 2 && Tensors.Guard.IndexOfNonFinite<float>(batch.Images.Data) < 0;

    private static void Validate(Mlp<float> model, IBatchSource batches, Dataset? test, TrainingOptions o)
    {
        if (batches.Features != model.InputSize)
            throw new ArgumentException($"Shape mismatch: the batches have {batches.Features} features, the model takes {model.InputSize}.", nameof(batches));
        if (test is not null && test.Features != model.InputSize)
            throw new ArgumentException($"Shape mismatch: test set '{test.Name}' has {test.Features} features, the model takes {model.InputSize}.", nameof(test));
        if (o.Steps <= 0) throw new ArgumentOutOfRangeException(nameof(o), o.Steps, "Steps must be positive.");
        if (o.EvaluateEvery < 0) throw new ArgumentOutOfRangeException(nameof(o), o.EvaluateEvery, "EvaluateEvery must be 0 (end only) or positive.");
        if (o.ProbeEvery < 0) throw new ArgumentOutOfRangeException(nameof(o), o.ProbeEvery, "ProbeEvery must be 0 (off) or positive.");
        if (o.ProgressEvery < 0) throw new ArgumentOutOfRangeException(nameof(o), o.ProgressEvery, "ProgressEvery must be 0 (evaluations only) or positive.");
        foreach (var s in o.ProbeSteps.Concat(o.HistogramSteps))
            if (s < 0 || s >= o.Steps)
                throw new ArgumentOutOfRangeException(nameof(o), s, $"Probe/histogram step {s} is outside 0..{o.Steps - 1}.");
        foreach (var p in o.ProbePercentiles)
            if (!(p >= 0 && p <= 100)) throw new ArgumentOutOfRangeException(nameof(o), p, "Probe percentiles must be in [0, 100].");
        if (o.HistogramBins <= 0) throw new ArgumentOutOfRangeException(nameof(o), o.HistogramBins, "HistogramBins must be positive.");
        if (!(o.HistogramMax > o.HistogramMin)) throw new ArgumentOutOfRangeException(nameof(o), o.HistogramMax, "HistogramMax must exceed HistogramMin.");
        foreach (var e in o.AdditionalEvaluations)
        {
            ArgumentNullException.ThrowIfNull(e, nameof(o));
            if (e.Data.Features != model.InputSize)
                throw new ArgumentException($"Shape mismatch: additional evaluation '{e.Name}' has {e.Data.Features} features, the model takes {model.InputSize}.", nameof(o));
            if (e.BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(o), e.BatchSize, $"Additional evaluation '{e.Name}' needs a positive batch size.");
        }
        if (o.AdditionalEvaluations.Select(e => e.Name).Distinct().Count() != o.AdditionalEvaluations.Length)
            throw new ArgumentException("Additional evaluations need distinct names.", nameof(o));
        if (o.EvaluationBatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(o), o.EvaluationBatchSize, "EvaluationBatchSize must be positive.");
    }
}
