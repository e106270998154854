namespace BatchNormLab.Training;

/// <summary>
/// One tracked unit of a hidden layer: the distribution of its nonlinearity input over the current
/// training batch at each probe (the paper's Figure 1(b, c) follows one "typical sigmoid input").
/// </summary>
/// <param name="Unit">Column index of the unit in its layer.</param>
/// <param name="Series">Its statistics over the batch, per probe.</param>
public sealed record UnitProbe(int Unit, DistributionSeries Series);
