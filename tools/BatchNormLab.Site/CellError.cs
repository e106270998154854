namespace BatchNormLab.Site;

/// <summary>A cell that threw or failed to compile.</summary>
/// <param name="CellNumber">1-based position among all cells of the notebook.</param>
/// <param name="FirstLine">The cell's first source line.</param>
/// <param name="Message">The error text.</param>
public sealed record CellError(int CellNumber, string FirstLine, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"cell {CellNumber} ({FirstLine}): {Message}";
}
