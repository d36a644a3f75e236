namespace Trellis.Sdk.Governance;

/// <summary>The fraction of the total weight a proposal's yes weight must exceed: <c>yes × Denominator &gt; total × Numerator</c>.</summary>
/// <param name="Numerator">The numerator (2 by default).</param>
/// <param name="Denominator">The denominator (3 by default).</param>
public readonly record struct ThresholdInfo(ulong Numerator, ulong Denominator)
{
    /// <summary>True when <paramref name="yesWeight"/> of <paramref name="totalWeight"/> passes (exact integer arithmetic).</summary>
    public bool Passes(ulong yesWeight, ulong totalWeight) => (UInt128)yesWeight * Denominator > (UInt128)totalWeight * Numerator;

    /// <summary>"2/3".</summary>
    public override string ToString() => $"{Numerator}/{Denominator}";
}
