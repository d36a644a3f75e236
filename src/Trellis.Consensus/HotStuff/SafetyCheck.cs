namespace Trellis.Consensus.HotStuff;

/// <summary>The outcome of a safety or validity check: passed, or refused with a reason naming the value and the rule.</summary>
public readonly struct SafetyCheck
{
    private SafetyCheck(bool passed, string? reason)
    {
        Passed = passed;
        Reason = reason;
    }

    /// <summary>A passed check.</summary>
    public static SafetyCheck Pass { get; } = new(true, null);

    /// <summary>True when the check passed.</summary>
    public bool Passed { get; }

    /// <summary>Why the check failed; null when it passed.</summary>
    public string? Reason { get; }

    /// <summary>A failed check with its reason.</summary>
    public static SafetyCheck Fail(string reason) => new(false, reason);

    /// <inheritdoc/>
    public override string ToString() => Passed ? "pass" : $"fail: {Reason}";
}
